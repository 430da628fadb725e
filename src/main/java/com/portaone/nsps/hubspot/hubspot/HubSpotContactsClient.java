package com.portaone.nsps.hubspot.hubspot;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * HubSpot's CRM contacts API, one HTTP attempt per call. Retries, the request budget and
 * upsert semantics live in the sync engine.
 */
@Component
public class HubSpotContactsClient {

	/** Error bodies are read only this far: they are for the operator's eyes. */
	private static final int MAX_ERROR_BODY = 8 * 1024;

	private final RestClient restClient;

	private final JsonMapper mapper = JsonMapper.builder().build();

	public HubSpotContactsClient(RestClient.Builder builder, HubSpotSettings settings) {
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.timeout())
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(settings.timeout());
		this.restClient = builder.clone()
			.requestFactory(requestFactory)
			.baseUrl(settings.contactsUrl())
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.accessToken())
			.build();
	}

	/** {@code POST /crm/v3/objects/contacts}: 201, or 409 when the email exists. */
	public void create(Map<String, String> properties) {
		send(this.restClient.post().uri("").body(new ContactInput(properties)));
	}

	/** {@code PATCH /crm/v3/objects/contacts/{email}?idProperty=email}: 200, or 404. */
	public void updateByEmail(String email, Map<String, String> properties) {
		send(this.restClient.patch().uri("/{email}?idProperty=email", email).body(new ContactInput(properties)));
	}

	/**
	 * {@code POST /crm/v3/objects/contacts/batch/upsert} by email: 200, or 207 with
	 * per-input errors. With email as idProperty HubSpot refuses the whole batch (4xx)
	 * for one bad input.
	 */
	public BatchUpsertResult batchUpsert(List<BatchUpsertInput> inputs) {
		byte[] body = send(this.restClient.post().uri("/batch/upsert").body(new BatchUpsertRequest(inputs)));
		return new BatchUpsertResult(failedInputs(body));
	}

	/** The per-input errors of a 207 answer, by objectWriteTraceId. */
	private Map<String, String> failedInputs(byte[] body) {
		Map<String, String> failed = new LinkedHashMap<>();
		JsonNode answer;
		try {
			answer = this.mapper.readTree(body);
		}
		catch (JacksonException ex) {
			return failed;
		}
		if (answer == null) {
			return failed;
		}
		for (JsonNode error : answer.path("errors")) {
			String message = error.path("message").asString("HubSpot refused this input");
			for (JsonNode traceId : error.path("context").path("objectWriteTraceId")) {
				failed.put(traceId.asString(), message);
			}
		}
		return failed;
	}

	private byte[] send(RestClient.RequestBodySpec request) {
		try {
			return request.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.exchange((clientRequest, response) -> {
					byte[] body = readAll(response.getBody());
					if (!response.getStatusCode().is2xxSuccessful()) {
						throw new HubSpotException(response.getStatusCode().value(), parseError(body),
								retryAfter(response));
					}
					return body;
				});
		}
		catch (ResourceAccessException ex) {
			throw new HubSpotUnreachableException(describe(ex), ex);
		}
	}

	/** Reads the whole body so that a body cut short fails here, not unnoticed. */
	private static byte[] readAll(InputStream body) throws IOException {
		return body.readAllBytes();
	}

	HubSpotError parseError(byte[] body) {
		String text = new String(body, 0, Math.min(body.length, MAX_ERROR_BODY), StandardCharsets.UTF_8);
		try {
			JsonNode node = this.mapper.readTree(body);
			if (node != null && node.isObject()) {
				return new HubSpotError(field(node, "message"), field(node, "category"), field(node, "policyName"),
						field(node, "correlationId"));
			}
		}
		catch (JacksonException ex) {
			// Not HubSpot's JSON (a proxy's HTML page, a cut body): keep the text itself.
		}
		return text.isBlank() ? HubSpotError.NONE : new HubSpotError(text.strip(), null, null, null);
	}

	private static @Nullable String field(JsonNode node, String name) {
		JsonNode value = node.get(name);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	private static @Nullable Duration retryAfter(ClientHttpResponse response) {
		String value = response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
		if (value == null) {
			return null;
		}
		try {
			return Duration.ofSeconds(Long.parseLong(value.strip()));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static String describe(ResourceAccessException ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		String kind = (cause instanceof java.net.http.HttpTimeoutException) ? "timed out"
				: (cause instanceof java.net.ConnectException) ? "refused the connection" : "failed";
		return "HubSpot request " + kind + " (" + cause.getClass().getSimpleName() + ")";
	}

}
