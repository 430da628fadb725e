package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.client.HubSpotOpenApi;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.sync.SyncOutcome.Cause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.CONTACT;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.CONTACTS;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.assertCreate;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.assertUpdate;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.created;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.requests;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.settings;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's promises: an answer by the event's deadline whatever HubSpot does, and one
 * write at a time per contact.
 */
class SyncEngineTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private SyncEngine engine;

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

	private SyncEngine start(HubSpotSettings settings, Duration deadline) {
		this.engine = HubSpotWrites.engine(settings, deadline);
		return this.engine;
	}

	@Test
	void deadlinePassingDuringServerErrorRetriesMakesHubSpotUnavailable() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(aResponse().withStatus(503)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"status\":\"error\",\"message\":\"Service Unavailable\"}")
			.withFixedDelay(300)));
		// Ten retries would take over 3 s: the 1 s deadline must end them.
		SyncEngine engine = start(settings(hubSpot.baseUrl(), Duration.ofSeconds(2), 10.0, Duration.ofSeconds(2), 10),
				Duration.ofSeconds(1));
		ContactUpsert upsert = created("olena@example.com");
		SyncOutcome outcome = engine.submit(upsert).get(3, TimeUnit.SECONDS);
		assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class, (unavailable) -> {
			assertThat(unavailable.cause()).isEqualTo(Cause.SERVICE);
			assertThat(unavailable.detail()).contains("503");
		});
		engine.destroy();
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSizeBetween(2, 6);
		requests.forEach((request) -> assertCreate(request, upsert));
	}

	@Test
	void deadlinePassingWhileHubSpotHangsMakesItUnavailableForConnection() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":\"51\"}")
			.withFixedDelay(5000)));
		SyncEngine engine = start(settings(hubSpot.baseUrl(), Duration.ofSeconds(4), 10.0, Duration.ofSeconds(2), 3),
				Duration.ofSeconds(1));
		ContactUpsert upsert = created("olena@example.com");
		SyncOutcome outcome = engine.submit(upsert).get(3, TimeUnit.SECONDS);
		assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class, (unavailable) -> {
			assertThat(unavailable.cause()).isEqualTo(Cause.CONNECTION);
			assertThat(unavailable.detail()).contains("deadline");
		});
		assertThat(requests(hubSpot)).hasSize(1);
		assertCreate(requests(hubSpot).get(0), upsert);
	}

	@Test
	void writesForOneContactDoNotOverlapWhateverTheEmailsCase() throws Exception {
		hubSpot.stubFor(patch(urlPathMatching(CONTACT)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":\"51\"}")
			.withFixedDelay(300)));
		SyncEngine engine = start(settings(hubSpot.baseUrl()), Duration.ofSeconds(5));
		ContactUpsert first = upsert("SIM/Updated", "A@x.com", "First");
		ContactUpsert second = upsert("SIM/Updated", "a@x.com", "Second");
		CompletableFuture<SyncOutcome> firstOutcome = engine.submit(first);
		await().atMost(Duration.ofSeconds(5)).until(() -> requests(hubSpot).size() == 1);
		CompletableFuture<SyncOutcome> secondOutcome = engine.submit(second);
		assertThat(firstOutcome.get(10, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		assertThat(secondOutcome.get(10, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(2);
		assertUpdate(requests.get(0), first);
		assertUpdate(requests.get(1), second);
		// The second write starts only once the first one's delayed answer came back (the
		// request budget alone would space them by about 105 ms).
		long gapMillis = requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime();
		assertThat(gapMillis).isGreaterThanOrEqualTo(299);
	}

	@Test
	void eventsQueuedForOneContactGoOutAsOneMergedWrite() throws Exception {
		hubSpot.stubFor(patch(urlPathMatching(CONTACT)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":\"51\"}")));
		SyncEngine engine = start(settings(hubSpot.baseUrl()), Duration.ofSeconds(5));
		ContactUpsert older = new ContactUpsert("evt-older", "SIM/Updated", "A@x.com",
				Map.of("email", "A@x.com", "firstname", "Old", "lastname", "Kept"),
				LocalDateTime.of(2025, 5, 1, 12, 0));
		ContactUpsert newer = new ContactUpsert("evt-newer", "SIM/Updated", "a@x.com",
				Map.of("email", "a@x.com", "firstname", "New"), LocalDateTime.of(2025, 5, 1, 12, 1));
		// Submitted newest first: the merge follows event_time, not arrival.
		CompletableFuture<SyncOutcome> newerOutcome = engine.submit(newer);
		CompletableFuture<SyncOutcome> olderOutcome = engine.submit(older);
		assertThat(newerOutcome.get(10, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		assertThat(olderOutcome.get(10, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		// Either both went out merged, or the newer one went alone and the older one then
		// wrote only what the newer did not carry: the older firstname never lands.
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSizeBetween(1, 2);
		for (LoggedRequest request : requests) {
			JsonNode properties = JSON.readTree(request.getBodyAsString()).get("properties");
			if (properties.has("firstname")) {
				assertThat(properties.get("firstname").asString()).isEqualTo("New");
			}
			if (properties.has("lastname")) {
				assertThat(properties.get("lastname").asString()).isEqualTo("Kept");
			}
		}
		assertThat(requests).anySatisfy((request) -> assertThat(request.getBodyAsString()).contains("\"Kept\""));
	}

	@Test
	void aRedeliveredEventIsAcknowledgedWithoutWritingAgain() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":\"51\"}")));
		SyncEngine engine = start(settings(hubSpot.baseUrl()), Duration.ofSeconds(5));
		ContactUpsert event = created("olena@example.com");
		assertThat(engine.submit(event).get(10, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		assertThat(engine.submit(event).get(10, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		assertThat(requests(hubSpot)).hasSize(1);
	}

	@Test
	void anEventOlderThanWhatWasAppliedDoesNotOverwriteIt() throws Exception {
		hubSpot.stubFor(patch(urlPathMatching(CONTACT)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"id\":\"51\"}")));
		SyncEngine engine = start(settings(hubSpot.baseUrl()), Duration.ofSeconds(5));
		ContactUpsert newer = new ContactUpsert("evt-newer", "SIM/Updated", "olena@example.com",
				Map.of("email", "olena@example.com", "firstname", "New"), LocalDateTime.of(2025, 5, 1, 12, 1));
		ContactUpsert older = new ContactUpsert("evt-older", "SIM/Updated", "olena@example.com",
				Map.of("email", "olena@example.com", "firstname", "Old"), LocalDateTime.of(2025, 5, 1, 12, 0));
		assertThat(engine.submit(newer).get(10, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		assertThat(engine.submit(older).get(10, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		assertThat(requests(hubSpot)).hasSize(1);
		assertUpdate(requests(hubSpot).get(0), newer);
	}

}
