package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.client.HubSpotOpenApi;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.sync.BatchWrites.BatchEngine;
import com.portaone.nsps.hubspot.sync.SyncOutcome.Cause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.portaone.nsps.hubspot.sync.EchoedBatchResults.echoed;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.portaone.nsps.hubspot.sync.BatchWrites.BATCH_UPSERT;
import static com.portaone.nsps.hubspot.sync.BatchWrites.assertInput;
import static com.portaone.nsps.hubspot.sync.BatchWrites.batchInputs;
import static com.portaone.nsps.hubspot.sync.BatchWrites.event;
import static com.portaone.nsps.hubspot.sync.BatchWrites.events;
import static com.portaone.nsps.hubspot.sync.BatchWrites.outcomes;
import static com.portaone.nsps.hubspot.sync.BatchWrites.settings;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.requests;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch mode against a WireMock HubSpot answering with errors: what is split, what is
 * retried, what every event of the batch is answered, and the event deadline.
 */
class BatchHubSpotErrorsTest {

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().extensions(new EchoedBatchResults()))
		.build();

	private static final SyncOutcome SYNCED = new SyncOutcome.Synced();

	private static final String LISTS_NOTHING = "{\"status\":\"COMPLETE\",\"results\":[],"
			+ "\"startedAt\":\"2026-01-05T12:00:00.000Z\",\"completedAt\":\"2026-01-05T12:00:00.100Z\"}";

	private static final String PROPERTY_DOESNT_EXIST = "{\"status\":\"error\",\"message\":\"Property values were not "
			+ "valid: [{\\\"isValid\\\":false,\\\"message\\\":\\\"Property \\\\\\\"imsi\\\\\\\" does not exist\\\","
			+ "\\\"error\\\":\\\"PROPERTY_DOESNT_EXIST\\\",\\\"name\\\":\\\"imsi\\\"}]\",\"correlationId\":\"x\","
			+ "\"category\":\"VALIDATION_ERROR\"}";

	private static final String UNAUTHORIZED = "{\"status\":\"error\",\"message\":\"Authentication credentials not "
			+ "found.\",\"correlationId\":\"x\",\"category\":\"INVALID_AUTHENTICATION\"}";

	private static final String UNAVAILABLE = "{\"status\":\"error\",\"message\":\"Service Unavailable\"}";

	private static final String TEN_SECONDLY = "{\"status\":\"error\",\"message\":\"You have reached your "
			+ "ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}";

	private static final String DAILY = "{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
			+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}";

	private BatchEngine engine;

	@BeforeAll
	static void warmUp() throws Exception {
		HubSpotWrites.warmUp(hubSpot);
	}

	@AfterEach
	void validateEveryRequest() throws Exception {
		if (this.engine != null) {
			this.engine.destroy();
		}
		HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents());
	}

	private BatchEngine start(HubSpotSettings settings, Duration deadline) {
		this.engine = BatchEngine.start(settings, deadline);
		return this.engine;
	}

	private BatchEngine start() {
		return start(settings(hubSpot.baseUrl(), 10.0), Duration.ofSeconds(10));
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	/** Stubs the batch upsert answering each response in turn, the last one for good. */
	private static void stubInTurn(ResponseDefinitionBuilder... responses) {
		for (int i = 0; i < responses.length; i++) {
			String state = (i == 0) ? Scenario.STARTED : "answer " + i;
			hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).inScenario("in turn")
				.whenScenarioStateIs(state)
				.willReturn(responses[i])
				.willSetStateTo((i + 1 < responses.length) ? "answer " + (i + 1) : state));
		}
	}

	/** Every request is the same batch of all the events. */
	private static void assertEachRequestCarries(List<LoggedRequest> requests, List<ContactUpsert> upserts) {
		for (LoggedRequest request : requests) {
			List<JsonNode> inputs = batchInputs(request);
			assertThat(inputs).hasSize(upserts.size());
			for (int i = 0; i < upserts.size(); i++) {
				assertInput(inputs.get(i), upserts.get(i));
			}
		}
	}

	@Test
	void missingPropertyRejectsEveryEventOfTheBatchWithoutSplitting() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(json(400, PROPERTY_DOESNT_EXIST)));
		List<ContactUpsert> upserts = events("missing", 10);
		List<SyncOutcome> outcomes = outcomes(start().submitTogether(upserts));
		assertThat(outcomes).hasSize(10)
			.allSatisfy(
					(outcome) -> assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Rejected.class, (rejected) -> {
						assertThat(rejected.hubSpotStatus()).isEqualTo(400);
						assertThat(rejected.message()).contains("imsi").contains("PROPERTY_DOESNT_EXIST");
					}));
		// Splitting cannot help when every input names the missing property.
		assertThat(requests(hubSpot)).hasSize(1);
		assertEachRequestCarries(requests(hubSpot), upserts);
	}

	@Test
	void refusedTokenMakesHubSpotUnavailableForEveryEventWithoutSplitting() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(json(401, UNAUTHORIZED)));
		List<ContactUpsert> upserts = events("token", 10);
		List<SyncOutcome> outcomes = outcomes(start().submitTogether(upserts));
		assertThat(outcomes).hasSize(10)
			.allSatisfy((outcome) -> assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class,
					(unavailable) -> {
						assertThat(unavailable.cause()).isEqualTo(Cause.SERVICE);
						assertThat(unavailable.detail()).contains("401")
							.contains("Authentication credentials not found");
					}));
		assertThat(requests(hubSpot)).hasSize(1);
		assertEachRequestCarries(requests(hubSpot), upserts);
	}

	@Test
	void multiStatusRejectsOnlyTheInputsItsErrorsTrace() throws Exception {
		List<ContactUpsert> upserts = events("multi", 5);
		String refusedEventId = upserts.get(2).eventId();
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(echoed(List.of(refusedEventId), List.of())));
		List<SyncOutcome> outcomes = outcomes(start().submitTogether(upserts));
		assertThat(outcomes).containsExactly(SYNCED, SYNCED,
				new SyncOutcome.Rejected(400, "Property values were not valid"), SYNCED, SYNCED);
		// A 207 that lists every input is HubSpot's final word: nothing is resent.
		assertThat(requests(hubSpot)).hasSize(1);
		assertEachRequestCarries(requests(hubSpot), upserts);
	}

	@Test
	void anInputTheAnswerLeavesOutIsSentAgainAlone() throws Exception {
		List<ContactUpsert> upserts = events("omitted", 4);
		String omitted = upserts.get(1).eventId();
		stubInTurn(echoed(List.of(), List.of(omitted)), echoed());
		assertThat(outcomes(start().submitTogether(upserts))).containsExactly(SYNCED, SYNCED, SYNCED, SYNCED);
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(2);
		assertThat(batchInputs(requests.get(1))).singleElement()
			.satisfies((input) -> assertInput(input, upserts.get(1)));
	}

	@Test
	void anAnswerThatListsNoInputConfirmsNothing() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(json(200, LISTS_NOTHING)));
		List<ContactUpsert> upserts = events("unlisted", 3);
		List<SyncOutcome> outcomes = outcomes(start().submitTogether(upserts));
		assertThat(outcomes).hasSize(3)
			.allSatisfy((outcome) -> assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class,
					(unavailable) -> {
						assertThat(unavailable.cause()).isEqualTo(Cause.SERVICE);
						assertThat(unavailable.detail()).contains("without confirming");
					}));
		// Sent again as a retry, never answered 202 on a guess.
		assertThat(requests(hubSpot)).hasSize(4);
		assertEachRequestCarries(requests(hubSpot), upserts);
	}

	@Test
	void anEventAnsweredAtItsDeadlineIsNotRecordedWhenARetryWithoutItSucceeds() throws Exception {
		// The first answer comes after the HTTP timeout: retried, without the event whose
		// deadline passed meanwhile.
		stubInTurn(echoed().withFixedDelay(1500), echoed());
		HubSpotWrites.Engine parts = HubSpotWrites.Engine.start(
				HubSpotWrites.settings(hubSpot.baseUrl(), Duration.ofSeconds(1), 50.0, Duration.ofSeconds(2), 3),
				Duration.ofSeconds(10), SyncSettings.WriteMode.BATCH);
		try {
			ContactUpsert early = event("evt-early", "early@example.com", null);
			ContactUpsert late = event("evt-late", "late@example.com", null);
			PendingWrite short1 = new PendingWrite(early, 1, 1, Deadline.after(Duration.ofMillis(500)));
			PendingWrite long1 = new PendingWrite(late, 2, 2, Deadline.after(Duration.ofSeconds(20)));
			// What the deadline timer does for the first event.
			CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS)
				.execute(() -> short1.answer(short1.progress().outcomeAtDeadline()));
			List<ContactWrite> writes = parts.ordering().plan(List.of(List.of(short1), List.of(long1)));
			parts.batchWriter().write(writes, parts.budget().acquire(Duration.ofSeconds(1)));
			assertThat(long1.outcome().get(5, TimeUnit.SECONDS)).isEqualTo(SYNCED);
			assertThat(short1.outcome().get(5, TimeUnit.SECONDS)).isInstanceOf(SyncOutcome.Unavailable.class);
			List<LoggedRequest> requests = requests(hubSpot);
			assertThat(requests).hasSize(2);
			assertThat(batchInputs(requests.get(1))).singleElement()
				.satisfies((input) -> assertThat(input.get("id").asString()).isEqualTo("late@example.com"));
			// Only the write HubSpot confirmed is remembered.
			assertThat(parts.store().isConfirmed("evt-late")).isTrue();
			assertThat(parts.store().isConfirmed("evt-early")).isFalse();
			assertThat(parts.store().propertyTimes(List.of("early@example.com"))).isEmpty();
			// So its redelivery is written, not waved through.
			assertThat(parts.engine().submit(early).get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
			assertThat(requests(hubSpot)).hasSize(3);
			assertThat(batchInputs(requests(hubSpot).get(2))).singleElement()
				.satisfies((input) -> assertThat(input.get("id").asString()).isEqualTo("early@example.com"));
		}
		finally {
			parts.engine().destroy();
		}
	}

	@Test
	void anInputRefusedInA207StaysUnrecordedWhenTheRetryOfAnotherSucceeds() throws Exception {
		List<ContactUpsert> upserts = events("refusedthenretried", 2);
		stubInTurn(echoed(List.of(upserts.get(0).eventId()), List.of(upserts.get(1).eventId())), echoed());
		HubSpotWrites.Engine parts = HubSpotWrites.Engine.start(settings(hubSpot.baseUrl(), 50.0),
				Duration.ofSeconds(10), SyncSettings.WriteMode.BATCH);
		try {
			List<List<PendingWrite>> batch = new ArrayList<>();
			for (ContactUpsert upsert : upserts) {
				batch.add(List.of(new PendingWrite(upsert, 1, batch.size(), Deadline.after(Duration.ofSeconds(10)))));
			}
			parts.batchWriter().write(parts.ordering().plan(batch), parts.budget().acquire(Duration.ofSeconds(1)));
			assertThat(batch.get(0).get(0).outcome().get()).isInstanceOf(SyncOutcome.Rejected.class);
			assertThat(batch.get(1).get(0).outcome().get()).isEqualTo(SYNCED);
			assertThat(requests(hubSpot)).hasSize(2);
			assertThat(batchInputs(requests(hubSpot).get(1))).hasSize(1);
			assertThat(parts.store().isConfirmed(upserts.get(0).eventId())).isFalse();
			assertThat(parts.store().propertyTimes(List.of(upserts.get(0).contactKey()))).isEmpty();
			assertThat(parts.store().isConfirmed(upserts.get(1).eventId())).isTrue();
		}
		finally {
			parts.engine().destroy();
		}
	}

	@Test
	void serverErrorIsRetriedWithTheWholeBatch() throws Exception {
		stubInTurn(json(503, UNAVAILABLE), echoed());
		List<ContactUpsert> upserts = events("retry", 3);
		assertThat(outcomes(start().submitTogether(upserts))).containsExactly(SYNCED, SYNCED, SYNCED);
		assertThat(requests(hubSpot)).hasSize(2);
		assertEachRequestCarries(requests(hubSpot), upserts);
	}

	@Test
	void serverErrorsThatOutlastTheRetriesMakeHubSpotUnavailable() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(json(503, UNAVAILABLE)));
		List<ContactUpsert> upserts = events("down", 3);
		List<SyncOutcome> outcomes = outcomes(start().submitTogether(upserts));
		assertThat(outcomes).hasSize(3)
			.allSatisfy((outcome) -> assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class,
					(unavailable) -> {
						assertThat(unavailable.cause()).isEqualTo(Cause.SERVICE);
						assertThat(unavailable.detail()).contains("503").contains("Service Unavailable");
					}));
		// One attempt and maxRetries (3) retries, never split.
		assertThat(requests(hubSpot)).hasSize(4);
		assertEachRequestCarries(requests(hubSpot), upserts);
	}

	@Test
	void tenSecondlyRateLimitIsRetriedOnceHubSpotsWindowHasRoom() throws Exception {
		stubInTurn(json(429, TEN_SECONDLY).withHeader("Retry-After", "2"), echoed());
		List<ContactUpsert> upserts = events("tensecondly", 3);
		assertThat(outcomes(start().submitTogether(upserts))).containsExactly(SYNCED, SYNCED, SYNCED);
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(2);
		assertEachRequestCarries(requests, upserts);
		// Not the backoff's 20 ms: HubSpot's Retry-After.
		assertThat(Duration.between(requests.get(0).getLoggedDate().toInstant(),
				requests.get(1).getLoggedDate().toInstant()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(1900));
	}

	@Test
	void dailyRateLimitIsNotRetriedAndStopsFurtherRequestsForTheCooldown() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(json(429, DAILY)));
		BatchEngine engine = start();
		List<ContactUpsert> upserts = events("daily", 3);
		assertThat(outcomes(engine.submitTogether(upserts))).hasSize(3)
			.allSatisfy((outcome) -> assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.RateLimited.class,
					(limited) -> assertThat(limited.retryAfter()).isBetween(Duration.ofMinutes(14),
							Duration.ofMinutes(15))));
		assertThat(requests(hubSpot)).hasSize(1);
		assertEachRequestCarries(requests(hubSpot), upserts);
		// The next event is answered without calling HubSpot.
		SyncOutcome next = engine.engine()
			.submit(event("evt-next", "next@example.com", null))
			.get(10, TimeUnit.SECONDS);
		assertThat(next).isInstanceOfSatisfying(SyncOutcome.RateLimited.class,
				(limited) -> assertThat(limited.retryAfter()).isBetween(Duration.ofMinutes(14),
						Duration.ofMinutes(15)));
		assertThat(requests(hubSpot)).hasSize(1);
	}

	@Test
	void dailyRateLimitDoesNotSplitTheBatchEvenWithoutCooldown() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(json(429, DAILY)));
		HubSpotSettings defaults = settings(hubSpot.baseUrl(), 10.0);
		// HUBSPOT_DAILY_LIMIT_COOLDOWN_MINUTES=0: no pause, so nothing masks a split.
		HubSpotSettings noCooldown = new HubSpotSettings(defaults.accessToken(), defaults.baseUrl(), defaults.timeout(),
				defaults.requestsPerSecond(), defaults.maxPermitWait(), Duration.ZERO, defaults.maxRetries(),
				defaults.initialBackoff(), defaults.portalRecheck());
		List<ContactUpsert> upserts = events("nocooldown", 4);
		List<SyncOutcome> outcomes = outcomes(start(noCooldown, Duration.ofSeconds(10)).submitTogether(upserts));
		assertThat(outcomes).hasSize(4)
			.allSatisfy((outcome) -> assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.RateLimited.class,
					(limited) -> assertThat(limited.detail()).contains("429").contains("daily limit")));
		// 429 DAILY is not retried, neither whole nor in halves.
		assertThat(requests(hubSpot)).hasSize(1);
		assertEachRequestCarries(requests(hubSpot), upserts);
	}

	@Test
	void eventsWaitingForAWorkerWhileHubSpotHangsAreUnavailableNotRateLimited() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(echoed().withFixedDelay(5000)));
		BatchEngine engine = start(
				HubSpotWrites.settings(hubSpot.baseUrl(), Duration.ofSeconds(4), 10.0, Duration.ofSeconds(2), 3),
				Duration.ofSeconds(1));
		// Spaced beyond a permit, each event leaves in a batch of its own: the first 8
		// hang on HubSpot and hold the engine's 8 workers, the 9th waits for one.
		List<CompletableFuture<SyncOutcome>> futures = new ArrayList<>();
		for (ContactUpsert upsert : events("stuck", 9)) {
			futures.add(engine.engine().submit(upsert));
			TimeUnit.MILLISECONDS.sleep(150);
		}
		List<SyncOutcome> outcomes = outcomes(futures);
		// Rate limiting is not what held any of them up: HubSpot's silence was.
		assertThat(outcomes)
			.allSatisfy((outcome) -> assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class,
					(unavailable) -> assertThat(unavailable.cause()).isEqualTo(Cause.CONNECTION)));
		assertThat(requests(hubSpot)).hasSize(8);
	}

	@Test
	void hangingHubSpotMakesItUnavailableForConnectionByEachEventsDeadline() throws Exception {
		// HubSpot answers after the HTTP timeout, which is itself after the deadline.
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(echoed().withFixedDelay(5000)));
		BatchEngine engine = start(
				HubSpotWrites.settings(hubSpot.baseUrl(), Duration.ofSeconds(4), 10.0, Duration.ofSeconds(2), 3),
				Duration.ofSeconds(1));
		List<ContactUpsert> upserts = events("hang", 5);
		long start = System.nanoTime();
		List<CompletableFuture<SyncOutcome>> futures = engine.submitTogether(upserts);
		List<SyncOutcome> outcomes = new ArrayList<>();
		for (CompletableFuture<SyncOutcome> future : futures) {
			// The 1 s deadline plus a generous margin.
			outcomes.add(
					future.get(3000 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), TimeUnit.MILLISECONDS));
		}
		assertThat(outcomes).hasSize(5)
			.allSatisfy((outcome) -> assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class,
					(unavailable) -> {
						assertThat(unavailable.cause()).isEqualTo(Cause.CONNECTION);
						assertThat(unavailable.detail()).contains("deadline");
					}));
		engine.destroy();
		// Nothing is retried once the deadline has passed.
		assertThat(requests(hubSpot)).hasSize(1);
		assertEachRequestCarries(requests(hubSpot), upserts);
	}

}
