package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.portaone.nsps.hubspot.client.HubSpotException;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.RequestBudgetExhaustedException;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.sync.PendingEvent.Step;
import com.portaone.nsps.hubspot.sync.SyncOutcome.Cause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * An event's fate, decided here and only here: every {@link SyncOutcome} is made and
 * every event answered in this class, from what the dispatcher, the writer and the store
 * report. It owns the two timers of each event: the permit wait (an event still queued
 * after {@code HUBSPOT_MAX_PERMIT_WAIT_SECONDS} is answered 429) and the deadline (an
 * event still unanswered after {@code EVENT_DEADLINE_SECONDS} is answered by what held it
 * up). An event is answered once; whatever comes later finds it answered.
 */
@Component
class EventOutcomes {

	private static final Logger log = LoggerFactory.getLogger(EventOutcomes.class);

	/** When NSPS should try again after HubSpot's ten-secondly limit. */
	static final Duration ROLLING_WINDOW = Duration.ofSeconds(10);

	/** When NSPS should try again after the connector's own queue was full of work. */
	static final Duration SOON = Duration.ofSeconds(1);

	private final HubSpotRequestBudget budget;

	private final ConnectorMetrics metrics;

	private final TaskScheduler timers;

	private final Duration deadline;

	private final Duration maxPermitWait;

	private final AtomicInteger inFlight = new AtomicInteger();

	EventOutcomes(HubSpotRequestBudget budget, ConnectorMetrics metrics, SyncSettings settings,
			@Qualifier(SyncConfiguration.EVENT_TIMERS) TaskScheduler timers) {
		this.budget = budget;
		this.metrics = metrics;
		this.timers = timers;
		this.deadline = settings.eventDeadline();
		this.maxPermitWait = budget.maxPermitWait();
		metrics.eventsInFlight(this.inFlight::get);
	}

	/** Starts an event's timers; its outcome completes by its deadline at the latest. */
	void track(PendingEvent event) {
		this.inFlight.incrementAndGet();
		boolean permitWaitFirst = this.maxPermitWait.compareTo(this.deadline) < 0;
		Duration first = permitWaitFirst ? this.maxPermitWait : this.deadline;
		ScheduledFuture<?>[] timer = { null };
		timer[0] = this.timers.schedule(() -> {
			if (permitWaitFirst && !event.isAnswered()) {
				if (event.step() == Step.QUEUED) {
					answer(event, new SyncOutcome.RateLimited(
							"No HubSpot request budget within " + this.maxPermitWait.toSeconds() + " s", SOON));
					return;
				}
				timer[0] = this.timers.schedule(() -> atDeadline(event),
						Instant.now().plus(this.deadline.minus(this.maxPermitWait)));
			}
			else {
				atDeadline(event);
			}
		}, Instant.now().plus(first));
		event.outcome().whenComplete((outcome, failure) -> {
			this.inFlight.decrementAndGet();
			ScheduledFuture<?> pending = timer[0];
			if (pending != null) {
				pending.cancel(false);
			}
		});
	}

	/** HubSpot confirmed a write that carried the event. */
	void written(PendingEvent event) {
		answer(event, new SyncOutcome.Synced());
	}

	/**
	 * HubSpot holds every value the event carries already, or newer events wrote them: no
	 * request was needed.
	 * @param stale whether newer events had written every property it carries
	 */
	void nothingToWrite(PendingEvent event, boolean stale) {
		if (answer(event, new SyncOutcome.Synced())) {
			if (stale) {
				this.metrics.stale();
			}
			else {
				this.metrics.unchanged();
			}
			event.inLogContext(() -> {
				log.info(
						stale ? "Every property of the event was written by a newer event; acknowledged without writing"
								: "HubSpot holds every value of the event already; acknowledged without writing");
				return null;
			});
		}
	}

	/** The answer to a redelivery of an event HubSpot confirmed already. */
	SyncOutcome redelivered() {
		this.metrics.redelivered();
		log.info("Event already synced; acknowledged without writing again");
		return new SyncOutcome.Synced();
	}

	/** The answer to an event that could not even be queued. */
	SyncOutcome failedOnArrival(RuntimeException failure) {
		return of(failure, null);
	}

	/** The event's write failed, or could not be made. */
	void failed(PendingEvent event, RuntimeException failure) {
		if (!event.isAnswered()) {
			answer(event, of(failure, event));
		}
	}

	/**
	 * What NSPS gets for a failure: HubSpot's answers as {@link HubSpotException#verdict}
	 * says, the budget's refusals as 429 with its own wait, Redis as 503.
	 */
	private SyncOutcome of(RuntimeException failure, @org.jspecify.annotations.Nullable PendingEvent event) {
		if (failure instanceof HubSpotException ex) {
			return switch (ex.verdict().forNsps()) {
				case REJECTED -> new SyncOutcome.Rejected(ex.status(), ex.detail());
				case SERVICE_UNAVAILABLE -> new SyncOutcome.Unavailable(Cause.SERVICE, ex.getMessage());
				case CONNECTION_UNAVAILABLE -> new SyncOutcome.Unavailable(Cause.CONNECTION, ex.getMessage());
				case RATE_LIMITED -> new SyncOutcome.RateLimited(ex.getMessage(),
						(ex.retryAfter() != null) ? ex.retryAfter() : ROLLING_WINDOW);
				case DAILY_LIMITED ->
					new SyncOutcome.RateLimited(ex.getMessage(), this.budget.dailyLimitCooldownRemaining());
			};
		}
		if (failure instanceof RequestBudgetExhaustedException ex) {
			return new SyncOutcome.RateLimited(ex.getMessage(), ex.retryAfter());
		}
		if (failure instanceof SharedStateUnavailableException ex) {
			return new SyncOutcome.Unavailable(Cause.SERVICE, ex.getMessage());
		}
		if (failure instanceof DeadlinePassedException && event != null) {
			return outcomeAtDeadline(event);
		}
		log.error("Unexpected failure while syncing an event", failure);
		this.metrics.dispatchFailure();
		return new SyncOutcome.Failed();
	}

	private void atDeadline(PendingEvent event) {
		if (answer(event, outcomeAtDeadline(event))) {
			event.inLogContext(() -> {
				log.warn("Event deadline of {} s passed", this.deadline.toSeconds());
				return null;
			});
		}
	}

	/** What held an event up when its deadline passed. */
	SyncOutcome outcomeAtDeadline(PendingEvent event) {
		RuntimeException last = event.lastFailure();
		if (last instanceof HubSpotException ex) {
			String message = "Event deadline passed: " + ex.getMessage();
			return switch (ex.verdict().forNsps()) {
				case RATE_LIMITED, DAILY_LIMITED -> new SyncOutcome.RateLimited(message, ROLLING_WINDOW);
				case CONNECTION_UNAVAILABLE -> new SyncOutcome.Unavailable(Cause.CONNECTION, message);
				case SERVICE_UNAVAILABLE, REJECTED -> new SyncOutcome.Unavailable(Cause.SERVICE, message);
			};
		}
		if (last instanceof RequestBudgetExhaustedException ex) {
			return new SyncOutcome.RateLimited("Event deadline passed: " + ex.getMessage(), ROLLING_WINDOW);
		}
		return switch (event.step()) {
			case QUEUED -> new SyncOutcome.RateLimited(
					"Event deadline passed: waiting in the queue for HubSpot request budget", ROLLING_WINDOW);
			case WAITING_FOR_BUDGET -> new SyncOutcome.RateLimited(
					"Event deadline passed: waiting for HubSpot request budget", ROLLING_WINDOW);
			case AWAITING_HUBSPOT ->
				new SyncOutcome.Unavailable(Cause.CONNECTION, "Event deadline passed: waiting for HubSpot to answer");
		};
	}

	private boolean answer(PendingEvent event, SyncOutcome outcome) {
		return event.inLogContext(() -> event.outcome().complete(outcome));
	}

}
