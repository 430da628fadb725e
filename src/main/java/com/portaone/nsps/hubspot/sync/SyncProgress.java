package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import com.portaone.nsps.hubspot.client.HubSpotException;
import com.portaone.nsps.hubspot.sync.SyncOutcome.Cause;

/**
 * Where the sync of one event stands, so that an event whose deadline passes is answered
 * by what held it up: the request budget (429), HubSpot errors, a write HubSpot left
 * unconfirmed or HubSpot's silence (503).
 */
final class SyncProgress {

	private volatile Step step = Step.QUEUED;

	private volatile String detail = "waiting in the queue for HubSpot request budget";

	void waitingForBudget() {
		if (this.step == Step.QUEUED || this.step == Step.AWAITING_HUBSPOT) {
			this.step = Step.WAITING_FOR_BUDGET;
			this.detail = "waiting for HubSpot request budget";
		}
	}

	void awaitingHubSpot() {
		if (this.step == Step.QUEUED || this.step == Step.WAITING_FOR_BUDGET) {
			this.step = Step.AWAITING_HUBSPOT;
			this.detail = "waiting for HubSpot to answer";
		}
	}

	void failed(HubSpotException ex) {
		this.step = (ex.status() == 429) ? Step.RATE_LIMITED_BY_HUBSPOT : Step.HUBSPOT_ERROR;
		this.detail = ex.getMessage();
	}

	void unreachable(RuntimeException ex) {
		this.step = Step.HUBSPOT_UNREACHABLE;
		this.detail = ex.getMessage();
	}

	void unconfirmed(RuntimeException ex) {
		this.step = Step.HUBSPOT_ERROR;
		this.detail = ex.getMessage();
	}

	/** The answer for an event whose deadline passed now. */
	SyncOutcome outcomeAtDeadline() {
		String message = "Event deadline passed: " + this.detail;
		return switch (this.step) {
			case QUEUED, WAITING_FOR_BUDGET, RATE_LIMITED_BY_HUBSPOT ->
				new SyncOutcome.RateLimited(message, Duration.ofSeconds(10));
			case HUBSPOT_ERROR -> new SyncOutcome.Unavailable(Cause.SERVICE, message);
			case AWAITING_HUBSPOT, HUBSPOT_UNREACHABLE -> new SyncOutcome.Unavailable(Cause.CONNECTION, message);
		};
	}

	private enum Step {

		QUEUED, WAITING_FOR_BUDGET, AWAITING_HUBSPOT, RATE_LIMITED_BY_HUBSPOT, HUBSPOT_ERROR, HUBSPOT_UNREACHABLE

	}

}
