package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import com.portaone.nsps.hubspot.client.HubSpotException;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.HubSpotUnreachableException;
import com.portaone.nsps.hubspot.client.RequestBudgetExhaustedException;
import com.portaone.nsps.hubspot.redis.SharedStateUnavailableException;
import com.portaone.nsps.hubspot.sync.SyncOutcome.Cause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * What NSPS is answered when a write failed: every failure is turned into an outcome
 * here, and only here.
 */
@Component
class SyncOutcomes {

	private static final Logger log = LoggerFactory.getLogger(SyncOutcomes.class);

	/** When NSPS should try again after HubSpot's ten-secondly limit. */
	private static final Duration ROLLING_WINDOW = Duration.ofSeconds(10);

	private final HubSpotRequestBudget budget;

	SyncOutcomes(HubSpotRequestBudget budget) {
		this.budget = budget;
	}

	/**
	 * The outcome for the events of a request that failed.
	 * @param failure what the request ended with
	 * @param progress an event's progress, for a deadline that passed
	 */
	SyncOutcome of(RuntimeException failure, SyncProgress progress) {
		if (failure instanceof HubSpotException ex) {
			return of(ex);
		}
		if (failure instanceof HubSpotUnreachableException ex) {
			return new SyncOutcome.Unavailable(Cause.CONNECTION, ex.getMessage());
		}
		if (failure instanceof RequestBudgetExhaustedException ex) {
			return new SyncOutcome.RateLimited(ex.getMessage(), ex.retryAfter());
		}
		if (failure instanceof SharedStateUnavailableException ex) {
			return new SyncOutcome.Unavailable(Cause.SERVICE, ex.getMessage());
		}
		if (failure instanceof UnconfirmedWriteException ex) {
			return new SyncOutcome.Unavailable(Cause.SERVICE, ex.getMessage());
		}
		if (failure instanceof DeadlinePassedException) {
			return progress.outcomeAtDeadline();
		}
		log.error("Unexpected failure while writing to HubSpot", failure);
		return new SyncOutcome.Failed();
	}

	/** The outcome for an event HubSpot refused on its own, in a batch answer. */
	SyncOutcome refused(int status, String message) {
		return new SyncOutcome.Rejected(status, message);
	}

	private SyncOutcome of(HubSpotException ex) {
		String message = ex.error().describe();
		return switch (ex.kind()) {
			case RATE_LIMITED -> new SyncOutcome.RateLimited("HubSpot answered 429: " + message,
					(ex.retryAfter() != null) ? ex.retryAfter() : ROLLING_WINDOW);
			case DAILY_LIMIT -> new SyncOutcome.RateLimited("HubSpot answered 429, daily limit reached: " + message,
					this.budget.dailyLimitCooldownRemaining());
			case ACCESS_REFUSED, RETRY ->
				new SyncOutcome.Unavailable(Cause.SERVICE, "HubSpot answered " + ex.status() + ": " + message);
			case WHOLE_REQUEST, INPUT_DATA -> new SyncOutcome.Rejected(ex.status(), message);
		};
	}

}
