package com.portaone.nsps.hubspot.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Every metric the connector exposes (scraped at {@code /actuator/prometheus}, where dots
 * become underscores and counters end in {@code _total}).
 */
@Component
public class ConnectorMetrics {

	/** Events received, by {@code event_type} and {@code outcome}. */
	public static final String EVENTS = "nsps.events";

	/** From an event's arrival to its answer, by {@code outcome}. */
	public static final String EVENT_SYNC = "nsps.event.sync";

	/** Events waiting for their answer. */
	public static final String EVENTS_IN_FLIGHT = "nsps.events.in.flight";

	/** Deliveries of an event already synced, answered without writing again. */
	public static final String EVENTS_REDELIVERED = "nsps.events.redelivered";

	/**
	 * Events whose every property had been written already by newer events, acknowledged
	 * without writing.
	 */
	public static final String EVENTS_STALE = "nsps.events.stale";

	/**
	 * Events whose every value HubSpot held already (confirmed within
	 * {@code HUBSPOT_UNCHANGED_TTL_HOURS}), acknowledged without a request.
	 */
	public static final String EVENTS_UNCHANGED = "nsps.events.unchanged";

	/**
	 * Email changes HubSpot refused because another contact holds the new email; the
	 * subscriber's data went to that contact.
	 */
	public static final String EMAIL_CONFLICTS = "nsps.contact.email.conflicts";

	/**
	 * Events whose {@code event_time} lay too far ahead of their receipt, ordered by the
	 * time of receipt instead.
	 */
	public static final String EVENTS_FUTURE_DATED = "nsps.events.future.dated";

	/**
	 * Unexpected failures of the write dispatcher; the events concerned were answered
	 * 500.
	 */
	public static final String DISPATCH_FAILURES = "nsps.dispatch.failures";

	/** HubSpot requests, by {@code operation} and {@code status}. */
	public static final String HUBSPOT_REQUESTS = "hubspot.requests";

	/** Retries of HubSpot requests, by {@code operation}. */
	public static final String HUBSPOT_RETRIES = "hubspot.retries";

	/** Contacts per batch upsert. */
	public static final String HUBSPOT_BATCH_SIZE = "hubspot.batch.size";

	/** Time spent waiting for a permit of the request budget. */
	public static final String BUDGET_WAIT = "hubspot.budget.wait";

	/**
	 * Requests refused a permit: the budget had none within the wait bound, or the daily
	 * limit cools down.
	 */
	public static final String BUDGET_REFUSALS = "hubspot.budget.refusals";

	/** The request budget's pace, in requests per second. */
	public static final String BUDGET_RATE = "hubspot.budget.rate";

	/** Requests left today in the account's daily limit, as HubSpot last reported. */
	public static final String DAILY_REMAINING = "hubspot.daily.remaining";

	private final MeterRegistry registry;

	private final Counter redelivered;

	private final Counter stale;

	private final Counter unchanged;

	private final Counter emailConflicts;

	private final Map<String, Counter> retries = new ConcurrentHashMap<>();

	private final Map<String, Counter> budgetRefusals = new ConcurrentHashMap<>();

	private final Counter futureDated;

	private final Counter dispatchFailures;

	private final DistributionSummary batchSize;

	private final Timer budgetWait;

	private final Map<String, Counter> eventCounters = new ConcurrentHashMap<>();

	private final Map<String, Timer> syncTimers = new ConcurrentHashMap<>();

	private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();

	public ConnectorMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.redelivered = Counter.builder(EVENTS_REDELIVERED)
			.description("Deliveries of an event already synced")
			.register(registry);
		this.stale = Counter.builder(EVENTS_STALE)
			.description("Events whose every property was written by newer events")
			.register(registry);
		this.unchanged = Counter.builder(EVENTS_UNCHANGED)
			.description("Events whose every value HubSpot held already, acknowledged without a request")
			.register(registry);
		this.emailConflicts = Counter.builder(EMAIL_CONFLICTS)
			.description("Email changes refused as the new email belongs to another contact")
			.register(registry);
		this.futureDated = Counter.builder(EVENTS_FUTURE_DATED)
			.description("Events dated further ahead than the allowed clock skew")
			.register(registry);
		this.dispatchFailures = Counter.builder(DISPATCH_FAILURES)
			.description("Unexpected failures of the write dispatcher")
			.register(registry);
		this.batchSize = DistributionSummary.builder(HUBSPOT_BATCH_SIZE)
			.description("Contacts per batch upsert")
			.publishPercentileHistogram()
			.minimumExpectedValue(1.0)
			.maximumExpectedValue(100.0)
			.register(registry);
		// Counters that may stay at zero for long are registered up front, so that
		// dashboards show 0 rather than no data.
		for (String reason : new String[] { "no_permit", "daily_limit", "hubspot_window" }) {
			budgetRefusalCounter(reason);
		}
		for (String operation : new String[] { "batch_upsert", "batch_update" }) {
			retryCounter(operation);
		}
		this.budgetWait = Timer.builder(BUDGET_WAIT)
			.description("Wait for a permit of the HubSpot request budget")
			.publishPercentileHistogram()
			.register(registry);
	}

	public void eventAnswered(String eventType, String outcome, Duration took) {
		// Looked up once per tag set: this runs for every event.
		this.eventCounters
			.computeIfAbsent(eventType + '\n' + outcome,
					(key) -> Counter.builder(EVENTS)
						.description("NSPS events by type and outcome")
						.tag("event_type", eventType)
						.tag("outcome", outcome)
						.register(this.registry))
			.increment();
		if (!took.isNegative() && !took.isZero()) {
			this.syncTimers
				.computeIfAbsent(outcome,
						(key) -> Timer.builder(EVENT_SYNC)
							.description("From an event's arrival to its answer")
							.tag("outcome", outcome)
							.publishPercentileHistogram()
							.register(this.registry))
				.record(took);
		}
	}

	public void eventsInFlight(Supplier<Number> count) {
		Gauge.builder(EVENTS_IN_FLIGHT, count).description("Events waiting for their answer").register(this.registry);
	}

	public void redelivered() {
		this.redelivered.increment();
	}

	public void stale() {
		this.stale.increment();
	}

	public void unchanged() {
		this.unchanged.increment();
	}

	public void emailConflict() {
		this.emailConflicts.increment();
	}

	public void futureEventTime() {
		this.futureDated.increment();
	}

	public void dispatchFailure() {
		this.dispatchFailures.increment();
	}

	public void budgetRate(Supplier<Number> requestsPerSecond) {
		Gauge.builder(BUDGET_RATE, requestsPerSecond)
			.description("Pace of the HubSpot request budget, requests per second")
			.register(this.registry);
	}

	public void dailyRemaining(Supplier<Number> remaining) {
		Gauge.builder(DAILY_REMAINING, remaining)
			.description("Requests left today in the account's HubSpot daily limit")
			.register(this.registry);
	}

	public void hubSpotRequest(String operation, String status, Duration took) {
		this.requestTimers
			.computeIfAbsent(operation + '\n' + status,
					(key) -> Timer.builder(HUBSPOT_REQUESTS)
						.description("HubSpot requests by operation and status")
						.tag("operation", operation)
						.tag("status", status)
						.publishPercentileHistogram()
						.register(this.registry))
			.record(took);
	}

	public void retry(String operation) {
		retryCounter(operation).increment();
	}

	private Counter retryCounter(String operation) {
		return this.retries.computeIfAbsent(operation,
				(key) -> Counter.builder(HUBSPOT_RETRIES)
					.description("Retries of HubSpot requests")
					.tag("operation", operation)
					.register(this.registry));
	}

	public void batchSize(int contacts) {
		this.batchSize.record(contacts);
	}

	public void budgetWait(Duration waited) {
		this.budgetWait.record(waited);
	}

	public void budgetRefused(String reason) {
		budgetRefusalCounter(reason).increment();
	}

	private Counter budgetRefusalCounter(String reason) {
		return this.budgetRefusals.computeIfAbsent(reason,
				(key) -> Counter.builder(BUDGET_REFUSALS)
					.description("Requests refused a permit of the HubSpot request budget")
					.tag("reason", reason)
					.register(this.registry));
	}

}
