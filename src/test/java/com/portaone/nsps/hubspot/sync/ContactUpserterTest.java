package com.portaone.nsps.hubspot.sync;

import java.net.ServerSocket;
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
import com.portaone.nsps.hubspot.sync.SyncOutcome.Cause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.outcome;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.requests;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.settings;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.updated;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upsert semantics, retries and the request budget of one event's write, against a
 * WireMock HubSpot whose every request is checked against HubSpot's OpenAPI file.
 */
class ContactUpserterTest {

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static final String EMAIL = "olena@example.com";

	private static final String CONTACT_JSON = "{\"id\":\"51\",\"properties\":{\"email\":\"olena@example.com\"},"
			+ "\"createdAt\":\"2026-01-01T10:00:00.000Z\",\"updatedAt\":\"2026-01-01T10:00:00.000Z\",\"archived\":false}";

	private static final String CONFLICT = "{\"status\":\"error\",\"message\":\"Contact already exists. Existing ID: 51\","
			+ "\"correlationId\":\"x\",\"category\":\"CONFLICT\"}";

	private static final String NOT_FOUND = "{\"status\":\"error\",\"message\":\"resource not found\","
			+ "\"correlationId\":\"x\",\"category\":\"OBJECT_NOT_FOUND\"}";

	private static final String TEN_SECONDLY = "{\"status\":\"error\",\"message\":\"You have reached your "
			+ "ten_secondly_rolling limit.\",\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}";

	private static final String DAILY = "{\"status\":\"error\",\"message\":\"You have reached your daily limit.\","
			+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"DAILY\"}";

	private static final String PROPERTY_DOESNT_EXIST = "{\"status\":\"error\",\"message\":\"Property values were not "
			+ "valid: [{\\\"isValid\\\":false,\\\"message\\\":\\\"Property \\\\\\\"imsi\\\\\\\" does not exist\\\","
			+ "\\\"error\\\":\\\"PROPERTY_DOESNT_EXIST\\\",\\\"name\\\":\\\"imsi\\\"}]\",\"correlationId\":\"x\","
			+ "\"category\":\"VALIDATION_ERROR\"}";

	private static final String UNAUTHORIZED = "{\"status\":\"error\",\"message\":\"Authentication credentials not "
			+ "found.\",\"correlationId\":\"x\",\"category\":\"INVALID_AUTHENTICATION\"}";

	private static final String HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body>"
			+ "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

	/** Fully qualified Java names or exception types that must not reach NSPS. */
	private static final String JAVA_NAMES = "(?s).*(\\b(java|javax|org|com|tools)\\.[a-z]+\\.|Exception|Error\\b).*";

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

	private SyncEngine start(HubSpotSettings settings) {
		this.engine = HubSpotWrites.engine(settings, Duration.ofSeconds(5));
		return this.engine;
	}

	private SyncEngine start() {
		return start(settings(hubSpot.baseUrl()));
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	@Test
	void createdEventCreatesTheContact() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(201, CONTACT_JSON)));
		ContactUpsert upsert = created(EMAIL);
		assertThat(outcome(start(), upsert)).isEqualTo(new SyncOutcome.Synced());
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(1);
		assertCreate(requests.get(0), upsert);
	}

	@Test
	void createdEventForAnExistingEmailUpdatesIt() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(409, CONFLICT)));
		hubSpot.stubFor(patch(urlPathMatching(CONTACT)).willReturn(json(200, CONTACT_JSON)));
		ContactUpsert upsert = created(EMAIL);
		assertThat(outcome(start(), upsert)).isEqualTo(new SyncOutcome.Synced());
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(2);
		assertCreate(requests.get(0), upsert);
		assertUpdate(requests.get(1), upsert);
	}

	@Test
	void updatedEventForAnUnknownEmailCreatesIt() throws Exception {
		hubSpot.stubFor(patch(urlPathMatching(CONTACT)).willReturn(json(404, NOT_FOUND)));
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(201, CONTACT_JSON)));
		ContactUpsert upsert = updated(EMAIL);
		assertThat(outcome(start(), upsert)).isEqualTo(new SyncOutcome.Synced());
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(2);
		assertUpdate(requests.get(0), upsert);
		assertCreate(requests.get(1), upsert);
	}

	@Test
	void serverErrorsAreRetriedUntilHubSpotAnswers() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).inScenario("5xx")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(json(503, "{\"status\":\"error\",\"message\":\"Service Unavailable\"}"))
			.willSetStateTo("second"));
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).inScenario("5xx")
			.whenScenarioStateIs("second")
			.willReturn(json(500, "{\"status\":\"error\",\"message\":\"internal error\"}"))
			.willSetStateTo("third"));
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).inScenario("5xx")
			.whenScenarioStateIs("third")
			.willReturn(json(201, CONTACT_JSON)));
		ContactUpsert upsert = created(EMAIL);
		assertThat(outcome(start(), upsert)).isEqualTo(new SyncOutcome.Synced());
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(3);
		requests.forEach((request) -> assertCreate(request, upsert));
	}

	@Test
	void serverErrorsThatOutlastTheRetriesMakeHubSpotUnavailable() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS))
			.willReturn(json(503, "{\"status\":\"error\",\"message\":\"Service Unavailable\"}")));
		ContactUpsert upsert = created(EMAIL);
		SyncOutcome outcome = outcome(start(), upsert);
		assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class, (unavailable) -> {
			assertThat(unavailable.cause()).isEqualTo(Cause.SERVICE);
			assertThat(unavailable.detail()).contains("503").contains("Service Unavailable");
		});
		// One attempt and maxRetries (3) retries.
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(4);
		requests.forEach((request) -> assertCreate(request, upsert));
	}

	@Test
	void timeoutsAreRetriedThenHubSpotIsUnavailableForConnection() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(201, CONTACT_JSON).withFixedDelay(1500)));
		ContactUpsert upsert = created(EMAIL);
		SyncOutcome outcome = outcome(
				start(settings(hubSpot.baseUrl(), Duration.ofMillis(500), 10.0, Duration.ofSeconds(2), 3)), upsert);
		assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class, (unavailable) -> {
			assertThat(unavailable.cause()).isEqualTo(Cause.CONNECTION);
			assertThat(unavailable.detail()).contains("timed out");
		});
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(4);
		requests.forEach((request) -> assertCreate(request, upsert));
	}

	@Test
	void tenSecondlyRateLimitIsRetriedAfterHubSpotsRetryAfter() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).inScenario("429")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(json(429, TEN_SECONDLY).withHeader("Retry-After", "1"))
			.willSetStateTo("window passed"));
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).inScenario("429")
			.whenScenarioStateIs("window passed")
			.willReturn(json(201, CONTACT_JSON)));
		ContactUpsert upsert = created(EMAIL);
		assertThat(outcome(start(), upsert)).isEqualTo(new SyncOutcome.Synced());
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(2);
		requests.forEach((request) -> assertCreate(request, upsert));
		assertThat(requests.get(1).getLoggedDate().getTime() - requests.get(0).getLoggedDate().getTime())
			.isGreaterThanOrEqualTo(950);
	}

	@Test
	void dailyRateLimitIsNotRetriedAndStopsFurtherRequestsForTheCooldown() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(429, DAILY)));
		SyncEngine engine = start();
		ContactUpsert upsert = created(EMAIL);
		assertThat(outcome(engine, upsert)).isInstanceOfSatisfying(SyncOutcome.RateLimited.class,
				(limited) -> assertThat(limited.retryAfter()).isBetween(Duration.ofMinutes(14),
						Duration.ofMinutes(15)));
		assertThat(requests(hubSpot)).hasSize(1);
		assertCreate(requests(hubSpot).get(0), upsert);
		// The next event, another contact, is answered without calling HubSpot.
		assertThat(outcome(engine, created("taras@example.com"))).isInstanceOfSatisfying(SyncOutcome.RateLimited.class,
				(limited) -> assertThat(limited.retryAfter()).isBetween(Duration.ofMinutes(14),
						Duration.ofMinutes(15)));
		assertThat(requests(hubSpot)).hasSize(1);
	}

	@Test
	void missingPropertyIsRejectedWithoutRetry() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(400, PROPERTY_DOESNT_EXIST)));
		ContactUpsert upsert = created(EMAIL);
		assertThat(outcome(start(), upsert)).isInstanceOfSatisfying(SyncOutcome.Rejected.class, (rejected) -> {
			assertThat(rejected.hubSpotStatus()).isEqualTo(400);
			assertThat(rejected.message()).contains("imsi").contains("PROPERTY_DOESNT_EXIST");
		});
		assertThat(requests(hubSpot)).hasSize(1);
		assertCreate(requests(hubSpot).get(0), upsert);
	}

	@Test
	void eventsBeyondTheRequestBudgetAreRateLimited() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(201, CONTACT_JSON)));
		SyncEngine engine = start(settings(hubSpot.baseUrl(), Duration.ofSeconds(2), 1.0, Duration.ofMillis(100), 3));
		List<CompletableFuture<SyncOutcome>> futures = new ArrayList<>();
		for (String email : List.of("a@example.com", "b@example.com", "c@example.com")) {
			futures.add(engine.submit(created(email)));
		}
		List<SyncOutcome> outcomes = new ArrayList<>();
		for (CompletableFuture<SyncOutcome> future : futures) {
			outcomes.add(future.get(15, TimeUnit.SECONDS));
		}
		List<SyncOutcome> limited = outcomes.stream().filter(SyncOutcome.RateLimited.class::isInstance).toList();
		assertThat(limited).isNotEmpty()
			.allSatisfy((outcome) -> assertThat(((SyncOutcome.RateLimited) outcome).retryAfter()).isPositive());
		// Every event that got a permit was written; the others never reached HubSpot.
		assertThat(outcomes).hasSize(limited.size() + requests(hubSpot).size())
			.filteredOn((outcome) -> !(outcome instanceof SyncOutcome.RateLimited))
			.allMatch(SyncOutcome.Synced.class::isInstance);
		assertThat(requests(hubSpot)).hasSizeLessThan(3).isNotEmpty();
	}

	@Test
	void unauthorizedMakesHubSpotUnavailableWithoutRetry() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(401, UNAUTHORIZED)));
		ContactUpsert upsert = created(EMAIL);
		assertThat(outcome(start(), upsert)).isInstanceOfSatisfying(SyncOutcome.Unavailable.class, (unavailable) -> {
			assertThat(unavailable.cause()).isEqualTo(Cause.SERVICE);
			assertThat(unavailable.detail()).contains("401").contains("Authentication credentials not found");
		});
		assertThat(requests(hubSpot)).hasSize(1);
		assertCreate(requests(hubSpot).get(0), upsert);
	}

	@Test
	void refusedConnectionMakesHubSpotUnavailableForConnection() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		SyncOutcome outcome = outcome(start(settings("http://127.0.0.1:" + closedPort)), created(EMAIL));
		assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Unavailable.class, (unavailable) -> {
			assertThat(unavailable.cause()).isEqualTo(Cause.CONNECTION);
			assertThat(unavailable.detail()).contains("refused");
		});
	}

	@Test
	void htmlErrorPageIsRetriedThenReportedAsText() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS))
			.willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html").withBody(HTML_502)));
		assertServiceUnavailableWithBodyText("<html><head><title>502 Bad Gateway</title>");
	}

	@Test
	void malformedJsonErrorIsRetriedThenReportedAsText() throws Exception {
		hubSpot
			.stubFor(post(urlEqualTo(CONTACTS)).willReturn(json(502, "{\"status\":\"error\",\"message\":\"Bad gat")));
		assertServiceUnavailableWithBodyText("{\"status\":\"error\",\"message\":\"Bad gat");
	}

	private void assertServiceUnavailableWithBodyText(String bodyStart) throws Exception {
		ContactUpsert upsert = created(EMAIL);
		assertThat(outcome(start(), upsert)).isInstanceOfSatisfying(SyncOutcome.Unavailable.class, (unavailable) -> {
			assertThat(unavailable.cause()).isEqualTo(Cause.SERVICE);
			assertThat(unavailable.detail()).contains("502").contains(bodyStart).doesNotMatch(JAVA_NAMES);
		});
		List<LoggedRequest> requests = requests(hubSpot);
		assertThat(requests).hasSize(4);
		requests.forEach((request) -> assertCreate(request, upsert));
	}

}
