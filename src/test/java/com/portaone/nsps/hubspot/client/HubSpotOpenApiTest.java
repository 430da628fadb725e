package com.portaone.nsps.hubspot.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The OpenAPI check itself must catch bad requests, or the tests that rely on it prove
 * nothing.
 */
class HubSpotOpenApiTest {

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@BeforeEach
	void stub() {
		hubSpot.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{}")));
	}

	@Test
	void acceptsAnUpdateWithStringProperties() throws Exception {
		send("PATCH", "/crm/v3/objects/contacts/olena%40example.com?idProperty=email",
				"{\"properties\":{\"email\":\"olena@example.com\",\"account_id\":\"277147\"}}");
		assertThatCode(() -> HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents()))
			.doesNotThrowAnyException();
	}

	@Test
	void rejectsAnUpdateWithANumberProperty() throws Exception {
		send("PATCH", "/crm/v3/objects/contacts/olena%40example.com?idProperty=email",
				"{\"properties\":{\"email\":\"olena@example.com\",\"account_id\":277147}}");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents()))
			.withMessageContaining("validation.request.body.schema.type")
			.withMessageContaining("integer");
	}

	@Test
	void rejectsACreateWithANumberProperty() throws Exception {
		send("POST", "/crm/v3/objects/contacts",
				"{\"properties\":{\"email\":\"olena@example.com\",\"account_id\":277147}}");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents()))
			.withMessageContaining("validation.request.body.schema.type");
	}

	@Test
	void rejectsABodyWithoutProperties() throws Exception {
		send("PATCH", "/crm/v3/objects/contacts/olena%40example.com?idProperty=email",
				"{\"email\":\"olena@example.com\"}");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents()))
			.withMessageContaining("properties");
	}

	@Test
	void rejectsAPathHubSpotDoesNotHave() throws Exception {
		send("POST", "/crm/v3/objects/contact", "{\"properties\":{\"email\":\"olena@example.com\"}}");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents()))
			.withMessageContaining("validation.request.path.missing");
	}

	@Test
	void rejectsACreateWithoutAssociations() throws Exception {
		// contacts-v3 marks associations required on create, so the client sends an empty
		// list.
		send("POST", "/crm/v3/objects/contacts", "{\"properties\":{\"email\":\"olena@example.com\"}}");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents()))
			.withMessageContaining("associations");
	}

	@Test
	void holdsTheDateVersionedPathsToThe202603File() throws Exception {
		send("POST", "/crm/objects/2026-03/contacts/batch/upsert",
				"{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"o@x.com\",\"properties\":{\"account_id\":\"1\"},"
						+ "\"objectWriteTraceId\":\"e1\"}]}");
		assertThatCode(() -> HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents()))
			.doesNotThrowAnyException();
		send("POST", "/crm/objects/2026-03/contacts/batch/upsert",
				"{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"o@x.com\",\"properties\":{\"account_id\":1}}]}");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents()))
			.withMessageContaining("validation.request.body.schema.type");
	}

	@Test
	void aDateVersionedPathHubSpotDoesNotHaveIsCaught() throws Exception {
		send("POST", "/crm/objects/2026-03/contact/batch/upsert", "{\"inputs\":[]}");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents()))
			.withMessageContaining("validation.request.path.missing");
	}

	private static void send(String method, String pathAndQuery, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(hubSpot.baseUrl() + pathAndQuery))
			.method(method, BodyPublishers.ofString(body))
			.header("Authorization", "Bearer test-access-token")
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.build();
		HTTP.send(request, BodyHandlers.discarding());
	}

}
