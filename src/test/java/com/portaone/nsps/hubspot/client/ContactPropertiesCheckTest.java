package com.portaone.nsps.hubspot.client;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up check of the portal's custom contact properties, against a WireMock
 * HubSpot; every request is checked against HubSpot's properties v3 OpenAPI file.
 */
class ContactPropertiesCheckTest {

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String PROPERTIES = "/crm/v3/properties/contacts";

	private final HubSpotPortalStatus status = new HubSpotPortalStatus();

	@AfterEach
	void requestsMeetHubSpotsContract() {
		HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents());
	}

	@Test
	void allPropertiesPresentMakesThePortalReady() {
		hubSpot.stubFor(get(urlPathMatching(PROPERTIES + "/.*")).willReturn(okJson("{\"name\":\"x\"}")));
		check(false);
		assertThat(this.status.properties()).isEqualTo(HubSpotPortalStatus.PropertiesState.PRESENT);
		assertThat(health().getStatus()).isEqualTo(Status.UP);
		assertThat(hubSpot.getAllServeEvents()).hasSize(ContactPropertyDefinition.REQUIRED.size());
	}

	@Test
	void missingPropertiesAreReportedAndReadinessGoesDown() {
		hubSpot.stubFor(get(urlPathMatching(PROPERTIES + "/.*")).willReturn(okJson("{\"name\":\"x\"}")));
		hubSpot.stubFor(get(urlEqualTo(PROPERTIES + "/imsi")).willReturn(aResponse().withStatus(404)));
		hubSpot.stubFor(get(urlEqualTo(PROPERTIES + "/has_add_ons")).willReturn(aResponse().withStatus(404)));
		check(false);
		assertThat(this.status.missingProperties()).containsExactly("has_add_ons", "imsi");
		Health health = health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("missingContactProperties", List.of("has_add_ons", "imsi"));
		hubSpot.verify(0, postRequestedFor(urlEqualTo(PROPERTIES)));
	}

	@Test
	void missingPropertiesAreCreatedWhenAllowed() {
		hubSpot.stubFor(get(urlPathMatching(PROPERTIES + "/.*")).willReturn(okJson("{\"name\":\"x\"}")));
		hubSpot.stubFor(get(urlEqualTo(PROPERTIES + "/has_add_ons")).willReturn(aResponse().withStatus(404)));
		hubSpot.stubFor(get(urlEqualTo(PROPERTIES + "/account_id")).willReturn(aResponse().withStatus(404)));
		hubSpot.stubFor(post(urlEqualTo(PROPERTIES)).willReturn(okJson("{\"name\":\"x\"}").withStatus(201)));
		check(true);
		assertThat(this.status.properties()).isEqualTo(HubSpotPortalStatus.PropertiesState.PRESENT);
		List<JsonNode> created = hubSpot.findAll(postRequestedFor(urlEqualTo(PROPERTIES)))
			.stream()
			.map(LoggedRequest::getBodyAsString)
			.map(JSON::readTree)
			.toList();
		assertThat(created).hasSize(2);
		assertThat(created.get(0).get("name").asString()).isEqualTo("account_id");
		assertThat(created.get(0).get("type").asString()).isEqualTo("number");
		assertThat(created.get(0).get("fieldType").asString()).isEqualTo("number");
		assertThat(created.get(0).get("groupName").asString()).isEqualTo("contactinformation");
		assertThat(created.get(1).get("name").asString()).isEqualTo("has_add_ons");
		assertThat(created.get(1).get("type").asString()).isEqualTo("bool");
		assertThat(created.get(1).get("fieldType").asString()).isEqualTo("booleancheckbox");
		assertThat(created.get(1).get("options")).hasSize(2);
	}

	@Test
	void anUnreachableHubSpotLeavesThePropertiesUnknownAndThePortalReady() {
		hubSpot.stubFor(get(urlPathMatching(PROPERTIES + "/.*")).willReturn(aResponse().withStatus(503)));
		check(false);
		assertThat(this.status.properties()).isEqualTo(HubSpotPortalStatus.PropertiesState.UNKNOWN);
		assertThat(health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aRefusedAccessTokenMakesThePortalNotReady() {
		this.status.accessRefused("This app hasn't been granted all required scopes");
		assertThat(health().getStatus()).isEqualTo(Status.DOWN);
		this.status.accessAccepted();
		assertThat(health().getStatus()).isEqualTo(Status.UP);
	}

	private void check(boolean create) {
		HubSpotSettings settings = HubSpotClients.settings(hubSpot.baseUrl() + "/crm/v3/objects/contacts",
				"test-access-token", Duration.ofSeconds(2), 100.0, Duration.ofSeconds(2), 0, Duration.ofSeconds(1));
		ConnectorMetrics metrics = new ConnectorMetrics(new SimpleMeterRegistry());
		HubSpotClients clients = new HubSpotClients(settings, metrics, this.status);
		new ContactPropertiesCheck(clients.properties(), clients.budget(), this.status,
				new PropertyBootstrapSettings(create), settings, new ThreadPoolTaskScheduler())
			.check();
	}

	private Health health() {
		return new HubSpotPortalHealthIndicator(this.status).health();
	}

}
