package com.portaone.nsps.hubspot.client;

import java.time.Clock;
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
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One HTTP exchange with a WireMock HubSpot that misbehaves below the level of status
 * codes: answers that stall or break after their headers, and emails that are not safe in
 * a path.
 */
class HubSpotHttpTest {

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static final String CONTACTS = "/crm/v3/objects/contacts";

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final HubSpotPortalStatus portal = new HubSpotPortalStatus();

	private final HubSpotSettings settings = new HubSpotSettings("test-access-token", hubSpot.baseUrl() + CONTACTS,
			TIMEOUT, 100.0, Duration.ofSeconds(2), Duration.ofMinutes(15), 0, Duration.ofMillis(10),
			Duration.ofSeconds(30));

	private final ConnectorMetrics metrics = new ConnectorMetrics(this.registry);

	private final HubSpotContactsClient client = new HubSpotContactsClient(this.settings, this.metrics, this.portal);

	private final HubSpotRequestBudget budget = new HubSpotRequestBudget(this.settings, this.metrics, this.portal,
			Clock.systemUTC(), null, new SimpleMeterRegistry());

	@AfterEach
	void requestsMeetHubSpotsContract() {
		HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents());
	}

	@Test
	void aBodyThatStallsAfterItsHeadersFailsWithinTheTimeoutNotWhenItEnds() {
		// 200 and its headers at once, then the body a byte at a time over 20 s.
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(
				okJson("{\"id\":\"1\",\"properties\":{}}").withStatus(201).withChunkedDribbleDelay(20, 20_000)));
		long start = System.nanoTime();
		assertThatExceptionOfType(HubSpotUnreachableException.class)
			.isThrownBy(() -> this.client.create(permit(), Map.of("email", "a@example.com")))
			.withMessage("HubSpot request timed out");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(requests("create", "io_error")).isEqualTo(1);
	}

	@Test
	void anAnswerBrokenOffMidBodyIsNoAnswer() {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS + "/batch/upsert"))
			.willReturn(aResponse().withStatus(200).withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
		assertThatExceptionOfType(HubSpotUnreachableException.class).isThrownBy(() -> this.client.batchUpsert(permit(),
				List.of(new BatchUpsertInput("email", "a@example.com", Map.of("firstname", "A"), "trace-0001"))));
		assertThat(requests("batch_upsert", "io_error")).isEqualTo(1);
	}

	@Test
	void aConnectionResetIsNoAnswer() {
		hubSpot.stubFor(post(urlEqualTo(CONTACTS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(HubSpotUnreachableException.class)
			.isThrownBy(() -> this.client.create(permit(), Map.of("email", "a@example.com")))
			.withMessage("HubSpot request failed");
	}

	@Test
	void anEmailIsOnePathSegmentWhateverItHolds() {
		hubSpot.stubFor(patch(urlEqualTo(CONTACTS + "/o%27neil%2Bsim%2F1%3Fx%23y%40example.com?idProperty=email"))
			.willReturn(okJson("{\"id\":\"1\",\"properties\":{}}")));
		this.client.updateByEmail(permit(), "o'neil+sim/1?x#y@example.com", Map.of("firstname", "O"));
		hubSpot.verify(1,
				patchRequestedFor(urlEqualTo(CONTACTS + "/o%27neil%2Bsim%2F1%3Fx%23y%40example.com?idProperty=email")));
		assertThat(requests("update", "2xx")).isEqualTo(1);
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
