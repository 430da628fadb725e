package com.portaone.nsps.hubspot.client;

import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * HubSpot's CRM contacts API (v3 or date-versioned), one HTTP attempt per call, each
 * through its permit. Retries and upsert semantics live in the sync engine.
 */
@Component
public class HubSpotContactsClient {

	private static final Logger log = LoggerFactory.getLogger(HubSpotContactsClient.class);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final HubSpotHttp http;

	public HubSpotContactsClient(HubSpotSettings settings, ConnectorMetrics metrics, HubSpotPortalStatus portal) {
		this.http = new HubSpotHttp(settings.endpoints().contacts(), settings, metrics, portal);
	}

	/** {@code POST .../contacts}: 201, or 409 when the email exists. */
	public void create(Permit permit, Map<String, String> properties) {
		this.http.send(permit, "create", post("", new NewContactInput(properties)), (status) -> false);
	}

	/** {@code PATCH .../contacts/{email}?idProperty=email}: 200, or 404. */
	public void updateByEmail(Permit permit, String email, Map<String, String> properties) {
		HttpRequest request = this.http.request("/" + HubSpotHttp.segment(email) + "?idProperty=email")
			.header("Content-Type", "application/json")
			.method("PATCH", HubSpotHttp.json(new ContactInput(properties)))
			.build();
		this.http.send(permit, "update", request, (status) -> false);
	}

	/**
	 * {@code POST .../contacts/batch/upsert} by email: 200, or 207 with per-input errors.
	 * With email as idProperty HubSpot refuses the whole batch (4xx) for one bad input.
	 * @return which inputs the answer lists as written and which as refused
	 */
	public BatchUpsertResult batchUpsert(Permit permit, List<BatchUpsertInput> inputs) {
		byte[] body = this.http
			.send(permit, "batch_upsert", post("/batch/upsert", new BatchUpsertRequest(inputs)), (status) -> false)
			.body();
		return result(body);
	}

	private HttpRequest post(String path, Object body) {
		return this.http.request(path).header("Content-Type", "application/json").POST(HubSpotHttp.json(body)).build();
	}

	/** Reads the answer's results and errors; warnings are logged. */
	private static BatchUpsertResult result(byte[] body) {
		Set<String> traceIds = new HashSet<>();
		Set<String> emails = new HashSet<>();
		Map<String, HubSpotError> failed = new HashMap<>();
		JsonNode answer;
		try {
			answer = MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			// Nothing is confirmed by an answer that cannot be read.
			return new BatchUpsertResult(traceIds, emails, failed);
		}
		if (answer == null) {
			return new BatchUpsertResult(traceIds, emails, failed);
		}
		for (JsonNode result : answer.path("results")) {
			JsonNode traceId = result.get("objectWriteTraceId");
			if (traceId != null && traceId.isString()) {
				traceIds.add(traceId.stringValue());
			}
			if (result.path("properties").path("email").isString()) {
				emails.add(result.path("properties").path("email").stringValue().toLowerCase(Locale.ROOT));
			}
			for (JsonNode warning : result.path("warnings")) {
				log.warn("HubSpot warned about a contact upsert: {} ({})", warning.path("message").asString(""),
						warning.path("category").asString(""),
						kv("objectWriteTraceId", (traceId != null) ? traceId.asString("") : ""));
			}
		}
		for (JsonNode error : answer.path("errors")) {
			HubSpotError parsed = HubSpotErrors.parse(error);
			for (JsonNode traceId : error.path("context").path("objectWriteTraceId")) {
				failed.put(traceId.asString(), parsed);
			}
		}
		return new BatchUpsertResult(traceIds, emails, failed);
	}

}
