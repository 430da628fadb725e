package com.portaone.nsps.hubspot.client;

import java.time.Duration;

/**
 * No HubSpot request may be made now: the connector's budget has no permit within the
 * wait bound, or HubSpot's daily limit is cooling down.
 */
public class RequestBudgetExhaustedException extends RuntimeException {

	private final Duration retryAfter;

	public RequestBudgetExhaustedException(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	/** When NSPS should try again. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
