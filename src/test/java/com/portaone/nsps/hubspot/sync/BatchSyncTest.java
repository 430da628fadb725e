package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.client.HubSpotOpenApi;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import com.portaone.nsps.hubspot.sync.BatchWrites.BatchEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.portaone.nsps.hubspot.sync.BatchWrites.BATCH_UPSERT;
import static com.portaone.nsps.hubspot.sync.BatchWrites.JSON;
import static com.portaone.nsps.hubspot.sync.BatchWrites.assertInput;
import static com.portaone.nsps.hubspot.sync.BatchWrites.awaitRequests;
import static com.portaone.nsps.hubspot.sync.BatchWrites.batchInputs;
import static com.portaone.nsps.hubspot.sync.BatchWrites.event;
import static com.portaone.nsps.hubspot.sync.BatchWrites.events;
import static com.portaone.nsps.hubspot.sync.BatchWrites.inputsById;
import static com.portaone.nsps.hubspot.sync.BatchWrites.outcomes;
import static com.portaone.nsps.hubspot.sync.BatchWrites.settings;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.requests;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch mode against the HubSpot stand-in (all-or-nothing batches, duplicate ids refused,
 * rolling rate limit), reached through a WireMock proxy so that every request is checked
 * against HubSpot's OpenAPI file: coalescing, the batch size cap, merging of one
 * contact's events, order per contact and splitting of refused batches.
 */
class BatchSyncTest {

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().extensions(new EchoedBatchResults()))
		.build();

	private static HubSpotStandIn standIn;

	private static final SyncOutcome SYNCED = new SyncOutcome.Synced();

	private BatchEngine engine;

	@BeforeAll
	static void startStandIn() throws Exception {
		standIn = HubSpotStandIn.start(0, HubSpotWrites.TOKEN);
		HubSpotWrites.warmUp(hubSpot);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@AfterEach
	void validateEveryRequest() throws Exception {
		if (this.engine != null) {
			this.engine.destroy();
		}
		standIn.reset();
		standIn.setLatency(Duration.ZERO, 0);
		standIn.setLimitPer10s(HubSpotStandIn.DEFAULT_LIMIT_PER_10S);
		HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents());
	}

	/** Starts an engine whose HubSpot is the stand-in behind the WireMock proxy. */
	private BatchEngine startAgainstStandIn(HubSpotSettings settings, Duration deadline) {
		hubSpot.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(standIn.baseUrl())));
		this.engine = BatchEngine.start(settings, deadline);
		return this.engine;
	}

	private BatchEngine startAgainstStandIn() {
		return startAgainstStandIn(settings(hubSpot.baseUrl(), 10.0), Duration.ofSeconds(10));
	}

	@Test
	void concurrentEventsAreCoalescedIntoFewBatchUpserts() throws Exception {
		standIn.setLatency(Duration.ofMillis(100), 0.2);
		BatchEngine engine = startAgainstStandIn();
		List<ContactUpsert> upserts = events("burst", 50);
		assertThat(outcomes(engine.submit(upserts))).hasSize(50).containsOnly(SYNCED);
		List<LoggedRequest> requests = requests(hubSpot);
		// One request per event would be 50; a permit every ~105 ms gathers the rest.
		assertThat(requests).hasSizeBetween(1, 5);
		Map<String, JsonNode> inputs = inputsById(requests);
		assertThat(inputs).hasSize(50);
		for (ContactUpsert upsert : upserts) {
			assertInput(inputs.get(upsert.email()), upsert);
			assertThat(standIn.contact(upsert.email()))
				.hasValueSatisfying((contact) -> assertThat(contact).containsAllEntriesOf(upsert.properties()));
		}
		assertThat(standIn.contactCount()).isEqualTo(50);
	}

	@Test
	void loneEventGoesOutAtOnceAsABatchOfOne() throws Exception {
		BatchEngine engine = startAgainstStandIn();
		ContactUpsert upsert = event("evt-lone", "lone@example.com", null);
		long start = System.nanoTime();
		SyncOutcome outcome = engine.engine().submit(upsert).get(10, TimeUnit.SECONDS);
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(outcome).isEqualTo(SYNCED);
		// Not held back waiting for company.
		assertThat(elapsedMillis).isLessThan(1000);
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(1);
		List<JsonNode> inputs = batchInputs(requests.get(0));
		assertThat(inputs).hasSize(1);
		assertInput(inputs.get(0), upsert);
		assertThat(standIn.contact("lone@example.com")).hasValue(upsert.properties());
	}

	@Test
	void batchesCarryAtMostOneHundredInputs() throws Exception {
		BatchEngine engine = startAgainstStandIn();
		List<ContactUpsert> upserts = events("bulk", 250);
		assertThat(outcomes(engine.submitTogether(upserts))).hasSize(250).containsOnly(SYNCED);
		List<LoggedRequest> requests = requests(hubSpot);
		List<Integer> sizes = requests.stream().map((request) -> batchInputs(request).size()).toList();
		// Full batches: HubSpot takes 100 a request and no more. (Batches go out in
		// parallel, so they may arrive in any order.)
		assertThat(sizes).containsExactlyInAnyOrder(100, 100, 50);
		Map<String, JsonNode> inputs = inputsById(requests);
		for (ContactUpsert upsert : upserts) {
			assertInput(inputs.get(upsert.email()), upsert);
		}
		assertThat(standIn.contactCount()).isEqualTo(250);
	}

	@Test
	void eventsQueuedForOneEmailInAnyCaseAreMergedIntoOneInputLaterEventTimeWinning() throws Exception {
		// The first write is slow so that the next two queue behind it.
		standIn.setLatency(Duration.ofMillis(300), 0);
		BatchEngine engine = startAgainstStandIn();
		ContactUpsert first = event("evt-first", "a@x.com", LocalDateTime.of(2026, 1, 5, 11, 0));
		CompletableFuture<SyncOutcome> firstOutcome = engine.engine().submit(first);
		// The stand-in records a request on arrival (WireMock's proxy journals it only
		// once answered).
		awaitRequests(standIn::requestCount, 1);
		// The newer event arrives first: event_time decides, not arrival.
		ContactUpsert newer = new ContactUpsert("evt-new", "SIM/Updated", "A@x.com",
				Map.of("email", "A@x.com", "firstname", "New"), LocalDateTime.of(2026, 1, 5, 12, 0, 1));
		ContactUpsert older = new ContactUpsert("evt-old", "SIM/Updated", "a@x.com",
				Map.of("email", "a@x.com", "firstname", "Old", "lastname", "Keep"),
				LocalDateTime.of(2026, 1, 5, 12, 0, 0));
		List<CompletableFuture<SyncOutcome>> queued = engine.submit(List.of(newer, older));
		assertThat(firstOutcome.get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
		assertThat(outcomes(queued)).containsExactly(SYNCED, SYNCED);
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(2);
		assertInput(batchInputs(requests.get(0)).get(0), first);
		List<JsonNode> merged = batchInputs(requests.get(1));
		// Ids must be unique within a batch, compared case-insensitively.
		assertThat(merged).hasSize(1);
		JsonNode input = merged.get(0);
		assertThat(input.get("idProperty").stringValue()).isEqualTo("email");
		assertThat(input.get("id").stringValue()).isEqualTo("A@x.com");
		assertThat(input.get("objectWriteTraceId").stringValue()).isEqualTo("evt-new");
		assertThat(input.get("properties"))
			.isEqualTo(JSON.valueToTree(Map.of("email", "A@x.com", "firstname", "New", "lastname", "Keep")));
		assertThat(standIn.contactCount()).isEqualTo(1);
		assertThat(standIn.contact("a@x.com"))
			.hasValueSatisfying((contact) -> assertThat(contact).containsEntry("firstname", "New")
				.containsEntry("lastname", "Keep")
				.containsEntry("imsi", "255011234567890"));
	}

	@Test
	void laterEventForAnEmailWaitsUntilTheWriteInFlightHasFinished() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(BATCH_UPSERT)).willReturn(EchoedBatchResults.echoed().withFixedDelay(300)));
		this.engine = BatchEngine.start(settings(hubSpot.baseUrl(), 10.0), Duration.ofSeconds(10));
		ContactUpsert first = event("evt-1", "olena@example.com", null);
		ContactUpsert second = new ContactUpsert("evt-2", "SIM/Updated", "OLENA@example.com",
				Map.of("email", "OLENA@example.com", "firstname", "Second"), null);
		ContactUpsert other = event("evt-other", "taras@example.com", null);
		CompletableFuture<SyncOutcome> firstOutcome = this.engine.engine().submit(first);
		awaitRequests(() -> requests(hubSpot).size(), 1);
		List<CompletableFuture<SyncOutcome>> later = this.engine.submit(List.of(second, other));
		assertThat(firstOutcome.get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
		assertThat(outcomes(later)).containsExactly(SYNCED, SYNCED);
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(3);
		assertThat(batchInputs(requests.get(0))).singleElement().satisfies((input) -> assertInput(input, first));
		// Another contact is not held back by the write in flight ...
		assertThat(batchInputs(requests.get(1))).singleElement().satisfies((input) -> assertInput(input, other));
		// ... but the same contact, whatever the email's case, is.
		assertThat(batchInputs(requests.get(2))).singleElement().satisfies((input) -> assertInput(input, second));
		// It left only once the first write's delayed answer came back.
		long gapMillis = requests.get(2).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
		assertThat(gapMillis).isGreaterThanOrEqualTo(299);
	}

	@Test
	void batchRefusedForAnInvalidEmailItNamesIsSentAgainWithoutIt() throws Exception {
		BatchEngine engine = startAgainstStandIn();
		List<ContactUpsert> upserts = new ArrayList<>(events("named", 15));
		// Our own validation would refuse this email before the engine; HubSpot does too,
		// naming it in its message.
		ContactUpsert bad = event("evt-bad", "bad@@example.com", null);
		upserts.add(5, bad);
		List<SyncOutcome> outcomes = outcomes(engine.submitTogether(upserts));
		for (int i = 0; i < upserts.size(); i++) {
			if (upserts.get(i) == bad) {
				assertThat(outcomes.get(i)).isInstanceOfSatisfying(SyncOutcome.Rejected.class, (rejected) -> {
					assertThat(rejected.hubSpotStatus()).isEqualTo(400);
					assertThat(rejected.message()).contains("INVALID_EMAIL");
				});
			}
			else {
				assertThat(outcomes.get(i)).as(upserts.get(i).email()).isEqualTo(SYNCED);
				assertThat(standIn.contact(upserts.get(i).email())).hasValue(upserts.get(i).properties());
			}
		}
		assertThat(standIn.contactCount()).isEqualTo(15);
		List<LoggedRequest> requests = requests(hubSpot);
		// One request refused, one more without the input it named.
		assertThat(requests).hasSize(2);
		assertThat(batchInputs(requests.get(0))).hasSize(16);
		assertThat(batchInputs(requests.get(1))).hasSize(15)
			.noneSatisfy((input) -> assertThat(input.get("id").stringValue()).isEqualTo(bad.email()));
	}

	@Test
	void requestBudgetKeepsAStreamOfEventsUnderHubSpotsRollingLimit() throws Exception {
		standIn.setLimitPer10s(20);
		BatchEngine engine = startAgainstStandIn(settings(hubSpot.baseUrl(), 1.0), Duration.ofSeconds(10));
		List<ContactUpsert> upserts = events("stream", 60);
		List<CompletableFuture<SyncOutcome>> futures = new ArrayList<>();
		// A steady stream over about 6 s: unpaced, this would be 60 requests.
		for (ContactUpsert upsert : upserts) {
			futures.add(engine.engine().submit(upsert));
			TimeUnit.MILLISECONDS.sleep(100);
		}
		assertThat(outcomes(futures)).containsOnly(SYNCED);
		assertThat(standIn.rateLimitedCount()).isZero();
		assertThat(standIn.contactCount()).isEqualTo(60);
		// About one request a second while events keep coming.
		assertThat(requests(hubSpot)).hasSizeBetween(2, 12);
		assertThat(standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10))).isLessThanOrEqualTo(11);
		assertThat(inputsById(requests(hubSpot))).hasSize(60);
	}

}
