package com.portaone.nsps.hubspot.inbound;

import java.time.Duration;
import java.util.List;

import com.portaone.nsps.hubspot.event.FieldViolation;
import com.portaone.nsps.hubspot.sync.SyncOutcome;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The answers NSPS gets (SPEC section 1), in one place: a sync's outcome as HTTP, and
 * every error body the filters, Spring and the servlet container answer with. The content
 * type is set on every answer so that content negotiation can never turn an answer into a
 * 406.
 */
final class NspsAnswers {

	static final String VALIDATION_ERROR = "VALIDATION_ERROR";

	static final String AUTHENTICATION_ERROR = "AUTHENTICATION_ERROR";

	static final String SERVICE_ERROR = "SERVICE_ERROR";

	static final String CONNECTION_ERROR = "CONNECTION_ERROR";

	static final String RATE_LIMIT_ERROR = "RATE_LIMIT_ERROR";

	static final String INTERNAL_ERROR = "INTERNAL_ERROR";

	static final ErrorResponse AUTHENTICATION_FAILED = new ErrorResponse("Authentication failed", "Invalid API token",
			AUTHENTICATION_ERROR);

	static final ErrorResponse NOT_FOUND = new ErrorResponse("Resource not found", "Not found", VALIDATION_ERROR);

	static final ErrorResponse METHOD_NOT_ALLOWED = new ErrorResponse("Method not allowed", "Method not allowed",
			VALIDATION_ERROR);

	static final ErrorResponse INTERNAL = new ErrorResponse("Internal server error", "Internal server error",
			INTERNAL_ERROR);

	/** The backstop of an event the sync did not answer by its deadline. */
	static final ErrorResponse NOT_ANSWERED_IN_TIME = new ErrorResponse("ES request failed",
			"The event was not answered in time", CONNECTION_ERROR);

	static final ErrorResponse MALFORMED_REQUEST = new ErrorResponse("Bad request",
			"The request is ambiguous or malformed: path parameters (;), percent-encoding, // or dot segments in the"
					+ " path, or control characters in a header",
			VALIDATION_ERROR);

	private NspsAnswers() {
	}

	static ResponseEntity<Object> accepted() {
		return json(HttpStatus.ACCEPTED, new MessageResponse("Event accepted for processing"));
	}

	static ResponseEntity<Object> unsupported(String eventType) {
		return json(HttpStatus.OK, new MessageResponse("Unsupported event type: " + eventType));
	}

	static ResponseEntity<Object> invalid(List<FieldViolation> violations) {
		String error = String.join("; ", violations.stream().map(FieldViolation::toString).toList());
		return json(HttpStatus.UNPROCESSABLE_CONTENT,
				new ErrorResponse("Validation failed", error, VALIDATION_ERROR, violations));
	}

	/**
	 * The body of an error answer that has only its status to go by: what the servlet
	 * container or Spring answers on its own.
	 */
	static ErrorResponse forStatus(int status) {
		HttpStatus known = HttpStatus.resolve(status);
		return switch (status) {
			case 400 -> MALFORMED_REQUEST;
			case 404 -> NOT_FOUND;
			case 405 -> METHOD_NOT_ALLOWED;
			default ->
				(status >= 400 && status < 500)
						? new ErrorResponse("Bad request",
								(known != null) ? known.getReasonPhrase() : "Status " + status, VALIDATION_ERROR)
						: INTERNAL;
		};
	}

	static ErrorResponse tooLarge(long limitBytes) {
		return new ErrorResponse("Request body too large", "The event exceeds the limit of " + limitBytes + " bytes",
				VALIDATION_ERROR);
	}

	/** Too many events in flight: NSPS should come back shortly. */
	static ResponseEntity<Object> busy(int maxInFlight) {
		return rateLimited("The connector holds its limit of " + maxInFlight
				+ " events in flight; retry after the Retry-After delay", Duration.ofSeconds(1));
	}

	static ResponseEntity<Object> of(SyncOutcome outcome) {
		if (outcome instanceof SyncOutcome.Rejected rejected) {
			return json(HttpStatus.BAD_REQUEST,
					new ErrorResponse("Client error: " + rejected.hubSpotStatus(), rejected.message(), SERVICE_ERROR));
		}
		if (outcome instanceof SyncOutcome.Unavailable unavailable) {
			String type = (unavailable.cause() == SyncOutcome.Cause.CONNECTION) ? CONNECTION_ERROR : SERVICE_ERROR;
			return json(HttpStatus.SERVICE_UNAVAILABLE,
					new ErrorResponse("ES request failed", unavailable.detail(), type));
		}
		if (outcome instanceof SyncOutcome.RateLimited limited) {
			return rateLimited(limited.detail(), limited.retryAfter());
		}
		if (outcome instanceof SyncOutcome.Failed) {
			return json(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL);
		}
		return accepted();
	}

	private static ResponseEntity<Object> rateLimited(String detail, Duration retryAfter) {
		return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)))
			.contentType(MediaType.APPLICATION_JSON)
			.body(new ErrorResponse("Too many requests to ES", detail, RATE_LIMIT_ERROR));
	}

	static ResponseEntity<Object> json(HttpStatus status, Object body) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
	}

	/** Whole seconds, rounded up, at least one. */
	private static long retryAfterSeconds(Duration retryAfter) {
		long seconds = retryAfter.toSeconds() + ((retryAfter.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
