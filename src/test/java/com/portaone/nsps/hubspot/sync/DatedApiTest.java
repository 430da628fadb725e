package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.portaone.nsps.hubspot.client.HubSpotOpenApi;
import com.portaone.nsps.hubspot.client.HubSpotClients;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * HubSpot's date-versioned API ({@code /crm/objects/2026-03/contacts}): every request is
 * held to the 2026-03 OpenAPI file; its upsert warnings are logged; the 2026-09 write
 * validation errors are answered 400 naming the property, per input in a 207 and for the
 * whole batch otherwise.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatedApiTest {

	static final String DATED = "/crm/objects/2026-03/contacts";

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().extensions(new EchoedBatchResults()))
		.build();

	private static final String REQUIRED_BY_THE_PORTAL = "{\"status\":\"error\",\"message\":\"Property values were "
			+ "not valid\",\"correlationId\":\"x\",\"category\":\"VALIDATION_ERROR\",\"errors\":[{\"message\":"
			+ "\"lifecyclestage is required when country is set\",\"code\":\"MISSING_CONDITIONAL_REQUIRED_PROPERTY\","
			+ "\"context\":{\"propertyName\":[\"lifecyclestage\"]}}]}";

	private SyncParts parts;

	@BeforeEach
	void logWarnings() {
		// Levels other test contexts set stay in the JVM.
		LoggingSystem.get(getClass().getClassLoader()).setLogLevel("com.portaone.nsps.hubspot", LogLevel.INFO);
	}

	@AfterEach
	void everyRequestMeetsThe202603Contract() throws Exception {
		if (this.parts != null) {
			this.parts.close();
		}
		assertThat(hubSpot.getAllServeEvents())
			.allSatisfy((event) -> assertThat(event.getRequest().getUrl()).startsWith(DATED));
		HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents());
	}

	private SyncParts start() {
		this.parts = SyncParts.start(HubSpotClients.settings(hubSpot.baseUrl() + DATED, "test-access-token",
				Duration.ofSeconds(2), 50.0, Duration.ofSeconds(2), 3, Duration.ofSeconds(1)), Duration.ofSeconds(10));
		return this.parts;
	}

	@Test
	void batchUpsertsGoToTheDatedPathAndItsWarningsAreLogged(CapturedOutput output) throws Exception {
		hubSpot.stubFor(post(urlEqualTo(DATED + "/batch/upsert")).willReturn(aResponse()
			.withHeader("Content-Type", "application/json")
			.withBody("{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"1\",\"objectWriteTraceId\":\"dated-evt-0\","
					+ "\"properties\":{\"email\":\"dated-0@example.com\"},\"new\":true,\"archived\":false,"
					+ "\"createdAt\":\"2026-03-01T00:00:00Z\",\"updatedAt\":\"2026-03-01T00:00:00Z\",\"warnings\":"
					+ "[{\"category\":\"PROPERTY_IGNORED\",\"context\":{},\"message\":\"Property imsi is read-only\"}]}],"
					+ "\"startedAt\":\"2026-03-01T00:00:00Z\",\"completedAt\":\"2026-03-01T00:00:00Z\"}")));
		List<ContactUpsert> upserts = SyncParts.created("dated", 1);
		assertThat(SyncParts.outcomes(start().submitTogether(upserts))).containsExactly(new SyncOutcome.Synced());
		assertThat(output).contains("HubSpot warned about a contact write")
			.contains("Property imsi is read-only")
			.contains("PROPERTY_IGNORED");
	}

	@Test
	void aPropertyThePortalRequiresFailsTheWholeBatchNamingIt() throws Exception {
		hubSpot.stubFor(post(urlEqualTo(DATED + "/batch/upsert")).willReturn(json(400, REQUIRED_BY_THE_PORTAL)));
		List<SyncOutcome> outcomes = SyncParts.outcomes(start().submitTogether(SyncParts.created("required", 4)));
		assertThat(outcomes).hasSize(4)
			.allSatisfy(
					(outcome) -> assertThat(outcome).isInstanceOfSatisfying(SyncOutcome.Rejected.class, (rejected) -> {
						assertThat(rejected.hubSpotStatus()).isEqualTo(400);
						assertThat(rejected.message()).contains("requires the contact property lifecyclestage");
					}));
		// Not split: it concerns every input.
		assertThat(hubSpot.getAllServeEvents()).hasSize(1);
	}

	@Test
	void aPropertyThePortalRequiresOfOneInputRefusesOnlyThatOne() throws Exception {
		List<ContactUpsert> upserts = SyncParts.created("perinput", 3);
		String refused = upserts.get(1).eventId();
		hubSpot.stubFor(post(urlEqualTo(DATED + "/batch/upsert")).willReturn(json(207, "{\"status\":\"COMPLETE\","
				+ "\"results\":[" + result(upserts.get(0)) + "," + result(upserts.get(2)) + "],\"numErrors\":1,"
				+ "\"errors\":[{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"Property values "
				+ "were not valid\",\"context\":{\"objectWriteTraceId\":[\"" + refused + "\"],\"propertyName\":"
				+ "[\"jobtitle\"]},\"errors\":[{\"message\":\"jobtitle is required\",\"code\":\"MISSING_REQUIRED_PROPERTY\"}],"
				+ "\"links\":{}}],\"startedAt\":\"2026-03-01T00:00:00Z\",\"completedAt\":\"2026-03-01T00:00:00Z\"}")));
		List<SyncOutcome> outcomes = SyncParts.outcomes(start().submitTogether(upserts));
		assertThat(outcomes.get(0)).isEqualTo(new SyncOutcome.Synced());
		assertThat(outcomes.get(2)).isEqualTo(new SyncOutcome.Synced());
		assertThat(outcomes.get(1)).isInstanceOfSatisfying(SyncOutcome.Rejected.class,
				(rejected) -> assertThat(rejected.message()).contains("requires the contact property jobtitle"));
		assertThat(hubSpot.getAllServeEvents()).hasSize(1);
	}

	private static String result(ContactUpsert upsert) {
		return "{\"id\":\"" + upsert.account() + "\",\"objectWriteTraceId\":\"" + upsert.eventId()
				+ "\",\"properties\":{\"email\":\"" + upsert.email()
				+ "\"},\"new\":true,\"archived\":false,\"createdAt\":\"2026-03-01T00:00:00Z\","
				+ "\"updatedAt\":\"2026-03-01T00:00:00Z\"}";
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

}
