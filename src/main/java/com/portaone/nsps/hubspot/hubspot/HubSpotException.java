package com.portaone.nsps.hubspot.hubspot;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * HubSpot answered with a status other than 2xx.
 */
public class HubSpotException extends RuntimeException {

	private final int status;

	private final HubSpotError error;

	private final @Nullable Duration retryAfter;

	public HubSpotException(int status, HubSpotError error, @Nullable Duration retryAfter) {
		super("HubSpot answered " + status + ": " + error.describe());
		this.status = status;
		this.error = error;
		this.retryAfter = retryAfter;
	}

	public int status() {
		return this.status;
	}

	public HubSpotError error() {
		return this.error;
	}

	/** HubSpot's {@code Retry-After}, when it sent one. */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * 5xx, 423 (a contact locked by a concurrent merge) and 429 other than the daily
	 * limit.
	 */
	public boolean isTransient() {
		return this.status >= 500 || this.status == 423 || (this.status == 429 && !this.error.isDailyLimit());
	}

}
