package com.portaone.nsps.hubspot.inbound;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.portaone.nsps.hubspot.RawHttp;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication fails closed, over real HTTP with raw request lines: no path variant
 * reaches HubSpot without the token, ambiguous paths are refused with 400 whatever the
 * token, oversized bodies get 413 on every path, and only health is public.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "logging.level.com.portaone.nsps.hubspot=ERROR")
class InboundSecurityTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final String BEARER = "Bearer test-api-token";

	private static final long SIX_MIB = 6L * 1024 * 1024;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	/** Paths the servlet container and Spring could read differently. */
	@ParameterizedTest
	@ValueSource(strings = { "/process-event;x=1", "/process-event;jsessionid=1", "/%70rocess-event",
			"/process%2Devent", "/process-event%3Bx=1", "/process-event%2F", "/process%2fevent", "/%2e/process-event",
			"/process-event/%2e", "/process-event/%2e%2e/process-event", "/%2fprocess-event", "//process-event",
			"/./process-event", "/x/../process-event", "/process-event/.", "/process-event/..;/process-event",
			"/process-event%00", "/health;x=1", "/actuator/health;x=1/../prometheus", "/actuator/prometheus;x=1",
			"/actuator/%70rometheus" })
	void ambiguousPathsAreRefusedWith400WhateverTheToken(String path) throws Exception {
		for (String authorization : new String[] { null, BEARER }) {
			String email = newEmail();
			RawHttp.Answer answer = new RawHttp(this.port).send("POST", path, authorization, event(email));
			assertThat(answer.status()).as("%s with token %s", path, authorization != null).isEqualTo(400);
			assertNspsError(answer, "VALIDATION_ERROR");
			assertNeverReachedHubSpot(email);
		}
	}

	/**
	 * Paths that are plain but not the event endpoint as Spring routes it: without the
	 * token, refused; with it, not found. Never written.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/process-event/", "/PROCESS-EVENT", "/Process-Event", "/process-event.json",
			"/process-event/x", "/process-events", "/api/process-event", "/error", "/actuator/process-event" })
	void otherPathsNeedTheTokenAndNeverWrite(String path) throws Exception {
		String email = newEmail();
		RawHttp.Answer refused = new RawHttp(this.port).send("POST", path, null, event(email));
		assertThat(refused.status()).as(path).isEqualTo(401);
		assertThat(refused.headers()).containsEntry("www-authenticate", "Bearer");
		assertNspsError(refused, "AUTHENTICATION_ERROR");
		RawHttp.Answer authorized = new RawHttp(this.port).send("POST", path, BEARER, event(email));
		assertThat(authorized.status()).as(path).isIn(404, 405);
		assertNspsError(authorized, "VALIDATION_ERROR");
		assertNeverReachedHubSpot(email);
	}

	@Test
	void theEventEndpointWithAQueryStillNeedsTheToken() throws Exception {
		String email = newEmail();
		assertThat(new RawHttp(this.port).send("POST", "/process-event?debug=1", null, event(email)).status())
			.isEqualTo(401);
		assertNeverReachedHubSpot(email);
		assertThat(new RawHttp(this.port).send("POST", "/process-event?debug=1", BEARER, event(email)).status())
			.isEqualTo(202);
		assertThat(standIn.contact(email)).isPresent();
	}

	/**
	 * The answer is written later, on another thread, without a second pass through the
	 * security filters: the 202 goes out with the headers they set on the request's pass.
	 */
	@Test
	void anAcceptedEventsAnswerCarriesTheSecurityHeaders() throws Exception {
		RawHttp.Answer accepted = new RawHttp(this.port).send("POST", "/process-event", BEARER, event(newEmail()));
		assertThat(accepted.status()).isEqualTo(202);
		assertStateless(accepted);
		assertThat(accepted.headers()).containsEntry("x-content-type-options", "nosniff")
			.containsEntry("x-frame-options", "DENY")
			.containsEntry("cache-control", "no-cache, no-store, max-age=0, must-revalidate");
	}

	@Test
	void onlyHealthIsPublic() throws Exception {
		RawHttp raw = new RawHttp(this.port);
		for (String path : List.of("/health", "/actuator/health", "/actuator/health/liveness",
				"/actuator/health/readiness")) {
			assertThat(raw.send("GET", path, null, null).status()).as(path).isEqualTo(200);
		}
		for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.threads.live",
				"/actuator/info", "/actuator", "/actuator/env", "/nowhere", "/", "/process-event", "/error")) {
			RawHttp.Answer answer = raw.send("GET", path, null, null);
			assertThat(answer.status()).as(path).isEqualTo(401);
			assertNspsError(answer, "AUTHENTICATION_ERROR");
		}
		assertThat(raw.send("GET", "/actuator/prometheus", BEARER, null).status()).isEqualTo(200);
	}

	/** Over the 2 MiB limit, on every path, chunked or declared. */
	@ParameterizedTest
	@ValueSource(strings = { "/process-event", "/nowhere", "/health", "/actuator/prometheus", "/process-event/" })
	void oversizedBodiesAreAnswered413OnEveryPath(String path) throws Exception {
		RawHttp raw = new RawHttp(this.port);
		for (boolean chunked : new boolean[] { true, false }) {
			RawHttp.Answer answer = raw.sendLarge("POST", path, BEARER, SIX_MIB, chunked);
			assertThat(answer.status()).as("%s, chunked %s", path, chunked).isEqualTo(413);
			assertNspsError(answer, "VALIDATION_ERROR");
		}
		assertThat(raw.send("GET", "/health", null, null).status()).isEqualTo(200);
	}

	@Test
	void anUnauthenticatedBodyIsNeverRead() throws Exception {
		RawHttp.Answer answer = new RawHttp(this.port).sendLarge("POST", "/process-event", null, SIX_MIB, true);
		assertThat(answer.status()).isEqualTo(401);
	}

	private static String newEmail() {
		return "sec-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
	}

	private static byte[] event(String email) {
		ObjectNode event = (ObjectNode) BadEventGenerator.sample("sim-created");
		event.put("event_id", "sec-" + UUID.randomUUID());
		((ObjectNode) event.path("pb_data").path("account_info")).put("email", email);
		return event.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static void assertNspsError(RawHttp.Answer answer, String type) {
		assertStateless(answer);
		assertThat(answer.contentType()).startsWith("application/json");
		JsonNode body = answer.json();
		assertThat(body.propertyNames()).containsAll(Set.of("message", "error", "type"));
		assertThat(body.get("type").asString()).isEqualTo(type);
	}

	/** No answer opens a session: the token is checked on every request. */
	private static void assertStateless(RawHttp.Answer answer) {
		assertThat(answer.headers()).doesNotContainKey("set-cookie");
	}

	private static void assertNeverReachedHubSpot(String email) {
		assertThat(standIn.contact(email)).isEmpty();
		assertThat(standIn.requests()).noneSatisfy((request) -> assertThat(request.body()).contains(email));
	}

}
