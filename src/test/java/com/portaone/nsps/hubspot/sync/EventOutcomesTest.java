package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.portaone.nsps.hubspot.client.HubSpotClients;
import com.portaone.nsps.hubspot.client.HubSpotException;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.RequestBudgetExhaustedException;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.sync.PendingEvent.Step;
import com.portaone.nsps.hubspot.sync.SyncOutcome.Cause;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * An event's fate, as one table: for each way a sync can end (HubSpot's verdicts, the
 * budget, Redis, a bug, the deadline at each step), what NSPS is answered, with which
 * cause and {@code Retry-After}. Then the two timers: an event still queued after the
 * permit wait is answered 429, one unanswered at its deadline by what held it up.
 */
class EventOutcomesTest {

	private final ThreadPoolTaskScheduler timers = new ThreadPoolTaskScheduler();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final HubSpotRequestBudget budget = new HubSpotClients(
			HubSpotClients.settings("http://127.0.0.1:9/crm/v3/objects/contacts", "token", Duration.ofSeconds(1), 10.0,
					Duration.ofMillis(300), 0, Duration.ofSeconds(1)),
			new ConnectorMetrics(this.registry))
		.budget();

	private final EventOutcomes outcomes;

	EventOutcomesTest() {
		this.timers.initialize();
		this.outcomes = new EventOutcomes(this.budget, new ConnectorMetrics(this.registry),
				SyncParts.sync(Duration.ofMillis(800), WriteMode.BATCH, Duration.ZERO), this.timers);
	}

	@AfterEach
	void stop() {
		this.timers.shutdown();
	}

	static Stream<Arguments> failures() {
		return Stream.of(
				// failure, step when it happened, outcome class, cause, Retry-After (s)
				arguments(answered(500, "{\"message\":\"internal error\"}"), Step.AWAITING_HUBSPOT,
						SyncOutcome.Unavailable.class, Cause.SERVICE, null),
				arguments(answered(423, "{\"message\":\"locked\"}"), Step.AWAITING_HUBSPOT,
						SyncOutcome.Unavailable.class, Cause.SERVICE, null),
				arguments(answered(401, "{\"message\":\"no\"}"), Step.AWAITING_HUBSPOT, SyncOutcome.Unavailable.class,
						Cause.SERVICE, null),
				arguments(answered(429, "{\"policyName\":\"TEN_SECONDLY_ROLLING\"}"), Step.AWAITING_HUBSPOT,
						SyncOutcome.RateLimited.class, null, 10L),
				arguments(HubSpotClients.answered(429, "{\"policyName\":\"TEN_SECONDLY_ROLLING\"}",
						Duration.ofSeconds(3)), Step.AWAITING_HUBSPOT, SyncOutcome.RateLimited.class, null, 3L),
				arguments(answered(400,
						"{\"category\":\"VALIDATION_ERROR\",\"message\":\"Property values were not" + " valid\"}"),
						Step.AWAITING_HUBSPOT, SyncOutcome.Rejected.class, null, null),
				arguments(answered(404, "{}"), Step.AWAITING_HUBSPOT, SyncOutcome.Rejected.class, null, null),
				arguments(answered(409, "{\"category\":\"CONFLICT\",\"message\":\"Contact already exists\"}"),
						Step.AWAITING_HUBSPOT, SyncOutcome.Rejected.class, null, null),
				arguments(HubSpotException.noAnswer(new java.net.SocketTimeoutException("Read timed out"), false),
						Step.AWAITING_HUBSPOT, SyncOutcome.Unavailable.class, Cause.CONNECTION, null),
				arguments(HubSpotException.noAnswer(new java.io.IOException("reset"), false), Step.AWAITING_HUBSPOT,
						SyncOutcome.Unavailable.class, Cause.CONNECTION, null),
				arguments(HubSpotException.unconfirmed(1), Step.AWAITING_HUBSPOT, SyncOutcome.Unavailable.class,
						Cause.SERVICE, null),
				arguments(new RequestBudgetExhaustedException("no budget", Duration.ofMillis(1500)),
						Step.WAITING_FOR_BUDGET, SyncOutcome.RateLimited.class, null, 2L),
				arguments(new SharedStateUnavailableException(new RuntimeException("redis down")), Step.QUEUED,
						SyncOutcome.Unavailable.class, Cause.SERVICE, null),
				arguments(new IllegalStateException("a bug"), Step.AWAITING_HUBSPOT, SyncOutcome.Failed.class, null,
						null),
				arguments(new DeadlinePassedException(), Step.QUEUED, SyncOutcome.RateLimited.class, null, 10L),
				arguments(new DeadlinePassedException(), Step.WAITING_FOR_BUDGET, SyncOutcome.RateLimited.class, null,
						10L),
				arguments(new DeadlinePassedException(), Step.AWAITING_HUBSPOT, SyncOutcome.Unavailable.class,
						Cause.CONNECTION, null));
	}

	@ParameterizedTest(name = "{0} at {1}")
	@MethodSource("failures")
	void eachFailureIsAnsweredAsItsRowSays(RuntimeException failure, Step step, Class<?> outcome, @Nullable Cause cause,
			@Nullable Long retryAfterSeconds) throws Exception {
		PendingEvent event = event();
		event.step(step);
		this.outcomes.failed(event, failure);
		SyncOutcome answered = event.outcome().get(1, TimeUnit.SECONDS);
		assertThat(answered).isInstanceOf(outcome);
		if (answered instanceof SyncOutcome.Unavailable unavailable) {
			assertThat(unavailable.cause()).isEqualTo(cause);
		}
		if (answered instanceof SyncOutcome.RateLimited limited) {
			assertThat((long) Math.ceil(limited.retryAfter().toMillis() / 1000.0)).isEqualTo(retryAfterSeconds);
		}
	}

	@Test
	void aDailyLimitIsAnsweredWithTheCooldownLeft() throws Exception {
		HubSpotClients.reachDailyLimit(this.budget);
		PendingEvent event = event();
		this.outcomes.failed(event, answered(429, "{\"policyName\":\"DAILY\"}"));
		assertThat(event.outcome().get(1, TimeUnit.SECONDS)).isInstanceOfSatisfying(SyncOutcome.RateLimited.class,
				(limited) -> assertThat(limited.retryAfter()).isGreaterThan(Duration.ofMinutes(14)));
	}

	@Test
	void anEventIsAnsweredOnceTheFirstAnswerStands() throws Exception {
		PendingEvent event = event();
		this.outcomes.written(event);
		this.outcomes.failed(event, answered(500, "{}"));
		assertThat(event.outcome().get()).isEqualTo(new SyncOutcome.Synced());
	}

	@Test
	void anEventStillQueuedAfterThePermitWaitIsAnswered429() throws Exception {
		PendingEvent event = event();
		this.outcomes.track(event);
		assertThat(event.outcome().get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(SyncOutcome.RateLimited.class,
				(limited) -> assertThat(limited.detail()).contains("No HubSpot request budget within"));
	}

	@Test
	void anEventTakenIntoAWriteWaitsForItsDeadlineAndIsAnsweredByWhatHeldItUp() throws Exception {
		PendingEvent event = event();
		event.step(Step.AWAITING_HUBSPOT);
		event.failed(answered(503, "{\"message\":\"Service Unavailable\"}"));
		long start = System.nanoTime();
		this.outcomes.track(event);
		assertThat(event.outcome().get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(SyncOutcome.Unavailable.class,
				(unavailable) -> {
					assertThat(unavailable.cause()).isEqualTo(Cause.SERVICE);
					assertThat(unavailable.detail()).startsWith("Event deadline passed: HubSpot answered 503");
				});
		// Past the permit wait (300 ms): it was no longer queued, so the deadline (800
		// ms) answered.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
	}

	@Test
	void eventsInFlightAreCounted() throws Exception {
		PendingEvent event = event();
		this.outcomes.track(event);
		assertThat(this.registry.get(ConnectorMetrics.EVENTS_IN_FLIGHT).gauge().value()).isEqualTo(1);
		this.outcomes.written(event);
		assertThat(this.registry.get(ConnectorMetrics.EVENTS_IN_FLIGHT).gauge().value()).isZero();
	}

	private static PendingEvent event() {
		return new PendingEvent(new ContactUpsert("e1", "SIM/Updated", 1L, "a@x.com", Map.of("email", "a@x.com"), null),
				"a:1", 1, 1, Deadline.after(Duration.ofMillis(800)), WriteSpans.EventSpan.NONE);
	}

	private static HubSpotException answered(int status, String body) {
		return HubSpotClients.answered(status, body, null);
	}

}
