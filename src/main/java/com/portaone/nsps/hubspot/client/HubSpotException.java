package com.portaone.nsps.hubspot.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * HubSpot answered with a status other than 2xx, classified once, here, by what the
 * connector does about it.
 */
public class HubSpotException extends RuntimeException {

	private final int status;

	private final HubSpotError error;

	private final @Nullable Duration retryAfter;

	private final Kind kind;

	public HubSpotException(int status, HubSpotError error, @Nullable Duration retryAfter) {
		super("HubSpot answered " + status + ": " + error.describe());
		this.status = status;
		this.error = error;
		this.retryAfter = retryAfter;
		this.kind = classify(status, error);
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

	public Kind kind() {
		return this.kind;
	}

	private static Kind classify(int status, HubSpotError error) {
		if (status == 429) {
			return error.isDailyLimit() ? Kind.DAILY_LIMIT : Kind.RATE_LIMITED;
		}
		if (status == 401 || status == 403) {
			return Kind.ACCESS_REFUSED;
		}
		if (status >= 500 || status == 423) {
			return Kind.RETRY;
		}
		if (status == 404 || status == 405 || status == 415 || error.isPropertyMissing()
				|| error.isRequiredPropertyMissing()) {
			return Kind.WHOLE_REQUEST;
		}
		return error.isValidationError() ? Kind.INPUT_DATA : Kind.WHOLE_REQUEST;
	}

	/** What a failure means for the request and the events it carries. */
	public enum Kind {

		/**
		 * 5xx or 423 (a record locked by a concurrent write): the same request may pass
		 * soon.
		 */
		RETRY,

		/**
		 * 429 of the ten-secondly rolling limit: retried once HubSpot's window has room.
		 */
		RATE_LIMITED,

		/** 429 of the daily limit: no request until the cool-down has passed. */
		DAILY_LIMIT,

		/** 401 or 403: the token is revoked or lacks a scope; an operator must act. */
		ACCESS_REFUSED,

		/**
		 * Refused for a reason common to every input (404, 405, 415, a property missing
		 * in the portal or required by its rules, a request HubSpot cannot read): every
		 * event it carries is refused.
		 */
		WHOLE_REQUEST,

		/**
		 * A validation error about the data of some input: a batch is narrowed down to
		 * the inputs at fault.
		 */
		INPUT_DATA

	}

}
