package com.portaone.nsps.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.portaone.nsps.hubspot.standin.Fault;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness against a portal that lacks a custom contact property, then refuses the
 * token: readiness goes DOWN naming the cause, liveness and {@code /health} stay up, and
 * readiness comes back by itself once the portal is fixed, without a restart.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "HUBSPOT_PORTAL_RECHECK_SECONDS=1")
@DirtiesContext
class ReadinessEndToEndTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.removeProperty("imsi");
		standIn.registerAsHubSpot(registry);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@Test
	void readinessFollowsThePortalBothWays() throws Exception {
		await().atMost(Duration.ofSeconds(15)).until(() -> get("/actuator/health/readiness").statusCode() == 503);
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		System.out.println("readiness with a missing property: " + readiness.body());
		JsonNode body = json.readTree(readiness.body());
		assertThat(body.get("status").asString()).isEqualTo("DOWN");
		JsonNode portal = body.path("components").path("hubSpotPortal");
		assertThat(portal.get("status").asString()).isEqualTo("DOWN");
		assertThat(portal.path("details").path("missingContactProperties").get(0).asString()).isEqualTo("imsi");
		assertThat(portal.path("details").path("dailyRequestLimit").asLong()).isEqualTo(250_000);
		assertThat(portal.path("details").path("dailyRequestsRemaining").asLong()).isPositive();
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(get("/health").statusCode()).isEqualTo(200);

		// The operator creates the property: readiness comes back without a restart.
		standIn.addProperty("imsi");
		await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/health/readiness").statusCode() == 200);

		// HubSpot refuses the token on a write: readiness goes down ...
		standIn.setFaultRate(Fault.UNAUTHORIZED_401, 1);
		assertThat(postEvent().statusCode()).isEqualTo(503);
		HttpResponse<String> refused = get("/actuator/health/readiness");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).contains("refused by HubSpot");
		// ... and while it is refused, the re-check keeps it down.
		Thread.sleep(2500);
		assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
		// Once HubSpot accepts the token again, the background re-check brings it back.
		standIn.setFaultRate(Fault.UNAUTHORIZED_401, 0);
		await().atMost(Duration.ofSeconds(10)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
		assertThat(postEvent().statusCode()).isEqualTo(202);
	}

	@Test
	void readinessIsDownWhileDraining() throws Exception {
		// Boot turns readiness to REFUSING_TRAFFIC when a shutdown begins.
		AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(503);
		assertThat(json.readTree(readiness.body()).path("components").path("readinessState").path("status").asString())
			.isEqualTo("OUT_OF_SERVICE");
		AvailabilityChangeEvent.publish(this.context, ReadinessState.ACCEPTING_TRAFFIC);
	}

	private HttpResponse<String> postEvent() throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/process-event"))
			.header("Authorization", "Bearer test-api-token")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(SimEvents.created("ready", (int) (System.nanoTime() % 1000))))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
