package com.portaone.nsps.hubspot.client;

/**
 * What an answer of HubSpot means, for every answer it can give: whether the request is
 * retried, whether narrowing a batch down can help, what NSPS gets once it is not retried
 * (any more), and whether HubSpot may still apply the request later. This table, and
 * {@link HubSpotAnswers} which finds each answer's row, are the only places that decide
 * it; the request budget reads its pauses from HubSpot's 429s itself.
 */
public enum Verdict {

	/** 5xx: HubSpot failed; the same request may pass soon. */
	SERVER_ERROR(Retry.BACKOFF, Scope.REQUEST, ForNsps.SERVICE_UNAVAILABLE, false),

	/** 423: a record locked by a concurrent write. */
	LOCKED(Retry.BACKOFF, Scope.REQUEST, ForNsps.SERVICE_UNAVAILABLE, false),

	/** 429 of the ten-secondly (or any other than the daily) rolling limit. */
	ROLLING_LIMIT(Retry.AFTER_WINDOW, Scope.REQUEST, ForNsps.RATE_LIMITED, false),

	/** 429 {@code DAILY}: no request until the cool-down has passed. */
	DAILY_LIMIT(Retry.NEVER, Scope.REQUEST, ForNsps.DAILY_LIMITED, false),

	/** 401 or 403: the token is revoked or lacks a scope; an operator must act. */
	ACCESS_REFUSED(Retry.NEVER, Scope.REQUEST, ForNsps.SERVICE_UNAVAILABLE, false),

	/**
	 * {@code PROPERTY_DOESNT_EXIST}: a property the mapping writes is not in the portal.
	 */
	PROPERTY_MISSING(Retry.NEVER, Scope.REQUEST, ForNsps.REJECTED, false),

	/**
	 * {@code MISSING_REQUIRED_PROPERTY}, {@code MISSING_CONDITIONAL_REQUIRED_PROPERTY}
	 * (2026-09): the portal's rules require a property the write lacks.
	 */
	PROPERTY_REQUIRED(Retry.NEVER, Scope.REQUEST, ForNsps.REJECTED, false),

	/** A validation error about some input's data ({@code INVALID_EMAIL}, ...). */
	INVALID_DATA(Retry.NEVER, Scope.INPUT, ForNsps.REJECTED, false),

	/** 409 {@code CONFLICT}: another contact holds the email. */
	EMAIL_TAKEN(Retry.NEVER, Scope.INPUT, ForNsps.REJECTED, false),

	/** 404, or {@code OBJECT_NOT_FOUND}: no such record, or no such endpoint. */
	NOT_FOUND(Retry.NEVER, Scope.REQUEST, ForNsps.REJECTED, false),

	/** Any other 4xx (405, 413, 415, an unreadable request): every input alike. */
	REFUSED(Retry.NEVER, Scope.REQUEST, ForNsps.REJECTED, false),

	/** No answer within the timeout: HubSpot may still apply the request. */
	TIMED_OUT(Retry.BACKOFF, Scope.REQUEST, ForNsps.CONNECTION_UNAVAILABLE, true),

	/** The connection could not be opened: nothing was sent. */
	CONNECTION_REFUSED(Retry.BACKOFF, Scope.REQUEST, ForNsps.CONNECTION_UNAVAILABLE, false),

	/** The connection broke, or the answer was cut short, after the request was sent. */
	CONNECTION_LOST(Retry.BACKOFF, Scope.REQUEST, ForNsps.CONNECTION_UNAVAILABLE, true),

	/**
	 * A 2xx that does not list an input, or cannot be read: nothing it left out is
	 * written.
	 */
	UNCONFIRMED(Retry.BACKOFF, Scope.INPUT, ForNsps.SERVICE_UNAVAILABLE, false);

	private final Retry retry;

	private final Scope scope;

	private final ForNsps forNsps;

	private final boolean inDoubt;

	Verdict(Retry retry, Scope scope, ForNsps forNsps, boolean inDoubt) {
		this.retry = retry;
		this.scope = scope;
		this.forNsps = forNsps;
		this.inDoubt = inDoubt;
	}

	public Retry retry() {
		return this.retry;
	}

	public Scope scope() {
		return this.scope;
	}

	public ForNsps forNsps() {
		return this.forNsps;
	}

	/** Whether HubSpot may still apply the request after the connector gave up on it. */
	public boolean inDoubt() {
		return this.inDoubt;
	}

	/** Whether and when the request is sent again. */
	public enum Retry {

		/** Not retried. */
		NEVER,

		/** Retried with exponential backoff and jitter. */
		BACKOFF,

		/**
		 * Retried once HubSpot's rolling window has room: the budget holds the permit.
		 */
		AFTER_WINDOW

	}

	/** What the answer concerns. */
	public enum Scope {

		/** Every input of the request alike: a batch is not narrowed down. */
		REQUEST,

		/** Some inputs' data: a batch is narrowed down to them. */
		INPUT

	}

	/** What NSPS is answered once the request is not retried (any more). */
	public enum ForNsps {

		/**
		 * 400 {@code Client error: <status>}: retrying cannot help until data or portal
		 * change.
		 */
		REJECTED,

		/** 503 {@code SERVICE_ERROR}. */
		SERVICE_UNAVAILABLE,

		/** 503 {@code CONNECTION_ERROR}. */
		CONNECTION_UNAVAILABLE,

		/** 429 with HubSpot's {@code Retry-After}, else its window. */
		RATE_LIMITED,

		/** 429 with the remaining daily-limit cool-down. */
		DAILY_LIMITED

	}

}
