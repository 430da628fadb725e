package com.portaone.nsps.hubspot.hubspot;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
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

	private final RestClient restClient;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final HubSpotErrors errors = new HubSpotErrors();

	private final ConnectorMetrics metrics;

	private final HubSpotPortalStatus portal;

	public HubSpotContactsClient(RestClient.Builder builder, HubSpotSettings settings, ConnectorMetrics metrics,
			HubSpotPortalStatus portal) {
		this.metrics = metrics;
		this.portal = portal;
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
		send("create", this.restClient.post().uri("").body(new NewContactInput(properties, List.of())));
	}

	/** {@code PATCH /crm/v3/objects/contacts/{email}?idProperty=email}: 200, or 404. */
	public void updateByEmail(String email, Map<String, String> properties) {
		send("update",
				this.restClient.patch().uri("/{email}?idProperty=email", email).body(new ContactInput(properties)));
	}

	/**
	 * {@code POST /crm/v3/objects/contacts/batch/upsert} by email: 200, or 207 with
	 * per-input errors. With email as idProperty HubSpot refuses the whole batch (4xx)
	 * for one bad input.
	 */
	public BatchUpsertResult batchUpsert(List<BatchUpsertInput> inputs) {
		byte[] body = send("batch_upsert",
				this.restClient.post().uri("/batch/upsert").body(new BatchUpsertRequest(inputs)));
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

	private byte[] send(String operation, RestClient.RequestBodySpec request) {
		long start = System.nanoTime();
		String status = "io_error";
		try {
			byte[] body = request.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.exchange((clientRequest, response) -> {
					// Read whole, so that a body cut short fails here, not unnoticed.
					byte[] answer = response.getBody().readAllBytes();
					if (!response.getStatusCode().is2xxSuccessful()) {
						throw this.errors.exception(response, answer);
					}
					return answer;
				});
			status = "2xx";
			this.portal.accessAccepted();
			return body;
		}
		catch (HubSpotException ex) {
			status = Integer.toString(ex.status());
			if (ex.status() == 401 || ex.status() == 403) {
				this.portal.accessRefused(ex.error().describe());
			}
			throw ex;
		}
		catch (ResourceAccessException ex) {
			throw HubSpotErrors.unreachable(ex);
		}
		finally {
			this.metrics.hubSpotRequest(operation, status, Duration.ofNanos(System.nanoTime() - start));
		}
	}

}
