package com.portaone.nsps.hubspot.standin;

/**
 * Misbehaviour the {@link HubSpotStandIn} can apply to a request instead of answering it
 * normally. A faulted request never changes the stored contacts, but for the batch answer
 * faults, which write some inputs.
 */
public enum Fault {

	/** 500 with a HubSpot style JSON error body. */
	SERVER_ERROR_500,

	/** 502 with a HubSpot style JSON error body. */
	BAD_GATEWAY_502,

	/** 503 with a HubSpot style JSON error body. */
	UNAVAILABLE_503,

	/** 423, which HubSpot answers while a record is locked by a concurrent write. */
	LOCKED_423,

	/** 429 with the ten-secondly rolling limit body. */
	TEN_SECONDLY_429,

	/** 429 with the ten-secondly rolling limit body and {@code Retry-After: 1}. */
	TEN_SECONDLY_429_RETRY_AFTER,

	/** 429 with the daily limit body, which a client must not retry soon. */
	DAILY_429,

	/** 401, as HubSpot answers a revoked token. */
	UNAUTHORIZED_401,

	/** Sleep for the hang duration, then answer 503; close() interrupts the sleep. */
	HANG,

	/**
	 * Hold the request for the hang duration, then apply it as if it had come in time,
	 * and answer: HubSpot writing a request the client gave up on, after the client's
	 * later writes.
	 */
	LATE_WRITE,

	/** Drop the connection without any response. */
	RESET,

	/** 200 headers with a Content-Length larger than the bytes sent, then drop. */
	TRUNCATED_BODY,

	/** 502 declared as JSON whose body is not valid JSON. */
	MALFORMED_JSON,

	/** 502 with an HTML page, as a load balancer in front of HubSpot would send. */
	HTML_ERROR_PAGE,

	/**
	 * A batch upsert answered 207: one input, at random, refused and not written, the
	 * others written. Other requests are answered normally.
	 */
	PARTIAL_207,

	/**
	 * A batch upsert answered 200 with one input, at random, left out of the results,
	 * written or not at random. Other requests are answered normally.
	 */
	OMITTED_RESULT;

	/** Whether the fault shapes a batch upsert's answer rather than replacing it. */
	boolean isBatchAnswerFault() {
		return this == PARTIAL_207 || this == OMITTED_RESULT;
	}

}
