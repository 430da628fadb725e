package com.portaone.nsps.hubspot.sync;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.client.HubSpotContactsClient;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.HubSpotClients;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Builds the real client, budget, upserter and engine against a WireMock HubSpot, and
 * checks the requests it saw.
 */
final class HubSpotWrites {

	static final String TOKEN = "test-access-token";

	static final String CONTACTS = "/crm/v3/objects/contacts";

	static final String CONTACT = CONTACTS + "/[^/?]+";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private HubSpotWrites() {
	}

	static HubSpotSettings settings(String baseUrl) {
		return settings(baseUrl, Duration.ofSeconds(2), 10.0, Duration.ofSeconds(2), 3);
	}

	static HubSpotSettings settings(String baseUrl, Duration timeout, double requestsPerSecond, Duration maxPermitWait,
			int maxRetries) {
		// A small initial backoff keeps the retries fast.
		return new HubSpotSettings(TOKEN, baseUrl + CONTACTS, timeout, requestsPerSecond, maxPermitWait,
				Duration.ofMinutes(15), maxRetries, Duration.ofMillis(20), Duration.ofSeconds(30));
	}

	static SyncEngine engine(HubSpotSettings settings, Duration eventDeadline) {
		return engine(settings, eventDeadline, WriteMode.SINGLE);
	}

	/** The real sync engine and HubSpot client, with metrics kept in memory. */
	static SyncEngine engine(HubSpotSettings settings, Duration eventDeadline, WriteMode writeMode) {
		return Engine.start(settings, eventDeadline, writeMode).engine();
	}

	/** A sync engine with the parts tests look into. */
	record Engine(SyncEngine engine, HubSpotRequestBudget budget, OrderingStore store, WriteOrdering ordering,
			ContactBatchWriter batchWriter) {

		static Engine start(HubSpotSettings settings, Duration eventDeadline, WriteMode writeMode) {
			ConnectorMetrics metrics = new ConnectorMetrics(new SimpleMeterRegistry());
			HubSpotClients clients = new HubSpotClients(settings, metrics);
			HubSpotContactsClient client = clients.contacts();
			HubSpotRequestBudget budget = clients.budget();
			HubSpotAttempts attempts = new HubSpotAttempts(budget, settings, metrics);
			OrderingStore store = new LocalOrderingStore(new RedeliverySettings(1000, Duration.ofDays(7)));
			WriteOrdering ordering = new WriteOrdering(store, metrics);
			SyncOutcomes outcomes = new SyncOutcomes(budget);
			ContactBatchWriter batchWriter = new ContactBatchWriter(client, attempts, ordering, outcomes, metrics);
			SyncEngine engine = new SyncEngine(new ContactUpserter(client, attempts, ordering, outcomes), batchWriter,
					budget, ordering, ContactLocks.IN_PROCESS, outcomes, metrics,
					new SyncSettings(eventDeadline, 8, writeMode, ZoneOffset.UTC, Duration.ofMinutes(5)), (event) -> {
					});
			return new Engine(engine, budget, store, ordering, batchWriter);
		}

	}

	static ContactUpsert created(String email) {
		return upsert("SIM/Created", email, "Olena");
	}

	static ContactUpsert updated(String email) {
		return upsert("SIM/Updated", email, "Olena");
	}

	static ContactUpsert upsert(String eventType, String email, String firstName) {
		return new ContactUpsert("evt-" + email + "-" + firstName, eventType, email,
				Map.of("email", email, "firstname", firstName, "account_id", "277147"), null);
	}

	static SyncOutcome outcome(SyncEngine engine, ContactUpsert upsert) throws Exception {
		return engine.submit(upsert).get(15, TimeUnit.SECONDS);
	}

	/** The requests HubSpot saw, oldest first. */
	static List<LoggedRequest> requests(WireMockExtension hubSpot) {
		return hubSpot.findAll(anyRequestedFor(anyUrl()));
	}

	static void assertCreate(LoggedRequest request, ContactUpsert upsert) {
		assertThat(request.getMethod().getName()).isEqualTo("POST");
		assertThat(URI.create(request.getUrl()).getPath()).isEqualTo(CONTACTS);
		assertThat(request.getQueryParams()).isEmpty();
		assertWrite(request, upsert, Map.of("properties", upsert.properties(), "associations", List.of()));
	}

	static void assertUpdate(LoggedRequest request, ContactUpsert upsert) {
		assertThat(request.getMethod().getName()).isEqualTo("PATCH");
		// The email is the path's last segment, percent-encoded as the client sends it.
		assertThat(URI.create(request.getUrl()).getPath()).isEqualTo(CONTACTS + "/" + upsert.email());
		assertThat(request.getQueryParams()).containsOnlyKeys("idProperty");
		assertThat(request.queryParameter("idProperty").values()).containsExactly("email");
		assertWrite(request, upsert, Map.of("properties", upsert.properties()));
	}

	private static void assertWrite(LoggedRequest request, ContactUpsert upsert, Map<String, Object> body) {
		assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
		assertThat(request.getHeader("Content-Type")).startsWith("application/json");
		// Tree equality is type-strict: "277147" is not 277147.
		assertThat(JSON.readTree(request.getBodyAsString())).isEqualTo(JSON.valueToTree(body));
	}

	/**
	 * Lets the first request of a test class not pay for WireMock's and the JDK's
	 * warm-up.
	 */
	static void warmUp(WireMockExtension hubSpot) throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		http.send(HttpRequest.newBuilder(URI.create(hubSpot.baseUrl() + "/__admin/health")).build(),
				BodyHandlers.discarding());
	}

}
