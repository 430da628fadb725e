package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

/**
 * How the sync of one event ended, as far as NSPS needs to know.
 */
public sealed interface SyncOutcome {

	/** The outcome's name in metrics. */
	String label();

	/** HubSpot confirmed the write. */
	record Synced() implements SyncOutcome {

		@Override
		public String label() {
			return "accepted";
		}

	}

	/**
	 * HubSpot refused the data (4xx other than 401, 403, 423, 429): retrying the same
	 * event cannot help until the operator acts.
	 */
	record Rejected(int hubSpotStatus, String message) implements SyncOutcome {

		@Override
		public String label() {
			return "rejected";
		}

	}

	/** HubSpot failed or could not be reached; NSPS should retry later. */
	record Unavailable(Cause cause, String detail) implements SyncOutcome {

		@Override
		public String label() {
			return "unavailable";
		}

	}

	/** The request budget is spent; NSPS should retry after {@code retryAfter}. */
	record RateLimited(String detail, Duration retryAfter) implements SyncOutcome {

		@Override
		public String label() {
			return "rate_limited";
		}

	}

	/** What made HubSpot unavailable. */
	enum Cause {

		/** HubSpot answered with an error (5xx, 423, 401, 403). */
		SERVICE,

		/** HubSpot did not answer: refused, reset, timed out or cut short. */
		CONNECTION

	}

}
