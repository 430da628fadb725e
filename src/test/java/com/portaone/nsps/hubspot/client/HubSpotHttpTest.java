package com.portaone.nsps.hubspot.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One HTTP exchange through the RestClient, with a WireMock HubSpot that misbehaves below
 * the level of status codes: answers that stall or break after their headers, a reset, a
 * refused connection. Each is no answer, with the verdict that says whether HubSpot may
 * still apply the request; every request is held to HubSpot's OpenAPI file.
 */
class HubSpotHttpTest {

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static final String CONTACTS = "/crm/v3/objects/contacts";

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final List<ContactInput> ONE = List
		.of(ContactInput.byEmail("a@example.com", Map.of("email", "a@example.com", "firstname", "A"), "trace-0001"));

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final HubSpotSettings settings = HubSpotClients.settings(hubSpot.baseUrl() + CONTACTS, "test-access-token",
			TIMEOUT, 100.0, Duration.ofSeconds(2), 0, Duration.ofSeconds(1));

	private final HubSpotClients clients = new HubSpotClients(this.settings, new ConnectorMetrics(this.registry));

	private final HubSpotContactsClient client = this.clients.contacts();

	private final HubSpotRequestBudget budget = this.clients.budget();

	@AfterEach
	void requestsMeetHubSpotsContract() {
		HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents());
	}

	@Test
	void aBatchGoesAsHubSpotTakesItAndItsResultsCarryTheRecordIds() {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS + "/batch/upsert")).willReturn(okJson(
				"{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"51\",\"objectWriteTraceId\":\"trace-0001\",\"properties\":"
						+ "{\"email\":\"a@example.com\"},\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":"
						+ "\"2026-01-01T00:00:00Z\",\"archived\":false,\"new\":true}],\"startedAt\":"
						+ "\"2026-01-01T00:00:00Z\",\"completedAt\":\"2026-01-01T00:00:00Z\"}")));
		BatchResult result = this.client.upsert(permit(), ONE);
		assertThat(result.written(ONE.get(0))).isEqualTo("51");
		hubSpot.verify(1, postRequestedFor(urlEqualTo(CONTACTS + "/batch/upsert")).withHeader("Authorization",
				com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer test-access-token")));
		assertThat(requests("batch_upsert", "2xx")).isEqualTo(1);
	}

	@Test
	void aBodyThatTricklesInFailsAtTheDeadlineNotWhenItEnds() {
		// 200 and its headers at once, then the body in 200 pieces over 20 s: never
		// silent
		// for as long as the timeout, so only the deadline of the whole exchange ends it.
		hubSpot.stubFor(post(urlEqualTo(CONTACTS + "/batch/upsert"))
			.willReturn(okJson("{\"status\":\"COMPLETE\",\"results\":[]" + " ".repeat(400) + "}")
				.withChunkedDribbleDelay(200, 20_000)));
		long start = System.nanoTime();
		assertThatExceptionOfType(HubSpotException.class).isThrownBy(() -> this.client.upsert(permit(), ONE))
			.satisfies((ex) -> assertThat(ex.verdict()).isEqualTo(Verdict.TIMED_OUT));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(requests("batch_upsert", "io_error")).isEqualTo(1);
	}

	@Test
	void anAnswerThatComesTooLateTimesOutAndLeavesTheWriteInDoubt() {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS + "/batch/upsert"))
			.willReturn(okJson("{\"status\":\"COMPLETE\",\"results\":[]}").withFixedDelay(3_000)));
		assertThatExceptionOfType(HubSpotException.class).isThrownBy(() -> this.client.upsert(permit(), ONE))
			.satisfies((ex) -> assertThat(ex.verdict()).isEqualTo(Verdict.TIMED_OUT))
			.withMessage("HubSpot request timed out");
	}

	@Test
	void anAnswerBrokenOffMidBodyIsNoAnswer() {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS + "/batch/upsert"))
			.willReturn(aResponse().withStatus(200).withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
		assertThatExceptionOfType(HubSpotException.class).isThrownBy(() -> this.client.upsert(permit(), ONE))
			.satisfies((ex) -> assertThat(ex.verdict()).isEqualTo(Verdict.CONNECTION_LOST));
		assertThat(requests("batch_upsert", "io_error")).isEqualTo(1);
	}

	@Test
	void aConnectionResetIsNoAnswer() {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS + "/batch/upsert"))
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(HubSpotException.class).isThrownBy(() -> this.client.upsert(permit(), ONE))
			.satisfies((ex) -> assertThat(ex.verdict()).isEqualTo(Verdict.CONNECTION_LOST))
			.withMessage("HubSpot request failed");
	}

	@Test
	void aRefusedConnectionWasNeverSent() {
		HubSpotSettings nowhere = HubSpotClients.settings("http://127.0.0.1:9" + CONTACTS, "token", TIMEOUT, 100.0,
				Duration.ofSeconds(2), 0, Duration.ofSeconds(1));
		HubSpotClients refused = new HubSpotClients(nowhere, new ConnectorMetrics(new SimpleMeterRegistry()));
		assertThatExceptionOfType(HubSpotException.class)
			.isThrownBy(() -> refused.contacts().upsert(refused.budget().acquire(Duration.ofSeconds(1)), ONE))
			.satisfies((ex) -> assertThat(ex.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED));
	}

	@Test
	void anErrorAnswerIsClassifiedAndCountedByItsStatus() {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS + "/batch/upsert")).willReturn(aResponse().withStatus(429)
			.withHeader("Retry-After", "3")
			.withHeader("Content-Type", "application/json")
			.withBody("{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
					+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}")));
		assertThatExceptionOfType(HubSpotException.class).isThrownBy(() -> this.client.upsert(permit(), ONE))
			.satisfies((ex) -> {
				assertThat(ex.verdict()).isEqualTo(Verdict.ROLLING_LIMIT);
				assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(3));
			});
		assertThat(requests("batch_upsert", "429")).isEqualTo(1);
		assertThat(this.budget.rollingWindowPauseRemaining()).isPositive();
	}

	private Permit permit() {
		return this.budget.acquire(Duration.ofSeconds(2));
	}

	private long requests(String operation, String status) {
		return this.registry.find("hubspot.requests")
			.tags("operation", operation, "status", status)
			.timers()
			.stream()
			.mapToLong((timer) -> timer.count())
			.sum();
	}

}
