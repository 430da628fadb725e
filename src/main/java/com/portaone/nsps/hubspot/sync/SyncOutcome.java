package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import com.portaone.nsps.hubspot.logging.PersonalDataMasker;

/**
 * How the sync of one event ended, as far as NSPS needs to know. Text that may come from
 * HubSpot is masked and cut short here, since NSPS keeps it in its Event History.
 */
public sealed interface SyncOutcome {

	/** The most characters of HubSpot's text NSPS is shown. */
	int MAX_TEXT = 300;

	/** The outcome's name in metrics. */
	String label();

	/** HubSpot confirmed the write, or newer data for every property had been written. */
	record Synced() implements SyncOutcome {

		@Override
		public String label() {
			return "accepted";
		}

	}

	/**
	 * HubSpot refused the data (4xx other than 401, 403, 423, 429): retrying the same
	 * event cannot help until the data or the portal changes.
	 */
	record Rejected(int hubSpotStatus, String message) implements SyncOutcome {

		public Rejected {
			message = forNsps(message);
		}

		@Override
		public String label() {
			return "rejected";
		}

	}

	/**
	 * HubSpot failed, could not be reached or did not confirm; NSPS should retry later.
	 */
	record Unavailable(Cause cause, String detail) implements SyncOutcome {

		public Unavailable {
			detail = forNsps(detail);
		}

		@Override
		public String label() {
			return "unavailable";
		}

	}

	/** The request budget is spent; NSPS should retry after {@code retryAfter}. */
	record RateLimited(String detail, Duration retryAfter) implements SyncOutcome {

		public RateLimited {
			detail = forNsps(detail);
		}

		@Override
		public String label() {
			return "rate_limited";
		}

	}

	/** Something unexpected broke inside the connector; the log has the details. */
	record Failed() implements SyncOutcome {

		@Override
		public String label() {
			return "error";
		}

	}

	/** What made HubSpot unavailable. */
	enum Cause {

		/**
		 * HubSpot answered with an error (5xx, 423, 401, 403) or left a write
		 * unconfirmed.
		 */
		SERVICE,

		/** HubSpot did not answer: refused, reset, timed out or cut short. */
		CONNECTION

	}

	private static String forNsps(String text) {
		String masked = PersonalDataMasker.mask(text);
		return (masked.length() <= MAX_TEXT) ? masked : masked.substring(0, MAX_TEXT - 1) + "…";
	}

}
