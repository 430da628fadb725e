package com.portaone.nsps.hubspot.client;

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

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * HubSpot's CRM contacts API (v3 or date-versioned): batch upserts by email and batch
 * updates by record id, one HTTP attempt per call, each through its permit. Retries, and
 * what an answer means for the events, live in the sync engine.
 */
@Component
public class HubSpotContactsClient {

	private static final Logger log = LoggerFactory.getLogger(HubSpotContactsClient.class);

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final HubSpotHttp http;

	HubSpotContactsClient(HubSpotSettings settings,
			@Qualifier(HubSpotClientConfiguration.REST_CLIENT) RestClient client, ConnectorMetrics metrics,
			HubSpotPortalStatus portal) {
		this.http = new HubSpotHttp(client, settings.endpoints().contacts(), settings.timeout(), metrics, portal);
	}

	/**
	 * {@code POST .../contacts/batch/upsert} by email: 200, or 207 with per-input errors.
	 * With email as idProperty HubSpot refuses the whole batch (4xx) for one bad input.
	 * @return which inputs the answer lists as written and which as refused
	 */
	public BatchResult upsert(Permit permit, List<ContactInput> inputs) {
		return result(this.http
			.send(permit, "batch_upsert", HttpMethod.POST, "/batch/upsert", body(inputs), (status) -> false)
			.body());
	}

	/**
	 * {@code POST .../contacts/batch/update} by record id: 200, or 207 with per-input
	 * errors (an email another contact holds: 409 CONFLICT).
	 */
	public BatchResult update(Permit permit, List<ContactInput> inputs) {
		return result(this.http
			.send(permit, "batch_update", HttpMethod.POST, "/batch/update", body(inputs), (status) -> false)
			.body());
	}

	/**
	 * {@code POST .../contacts/batch/read} by email: the record ids of the contacts that
	 * hold these emails.
	 * @return by lower-cased email, those HubSpot has
	 */
	public Map<String, String> recordIds(Permit permit, List<String> emails) {
		Map<String, Object> request = Map.of("idProperty", "email", "inputs",
				emails.stream().map((email) -> Map.of("id", email)).toList(), "properties", List.of("email"),
				"propertiesWithHistory", List.of());
		byte[] body = this.http
			.send(permit, "batch_read", HttpMethod.POST, "/batch/read", MAPPER.writeValueAsBytes(request),
					(status) -> false)
			.body();
		return result(body).byEmail();
	}

	private static byte[] body(List<ContactInput> inputs) {
		return MAPPER.writeValueAsBytes(Map.of("inputs", inputs));
	}

	/** Reads the answer's results and errors; warnings are logged. */
	private static BatchResult result(byte[] body) {
		Map<String, String> byTraceId = new HashMap<>();
		Map<String, String> byEmail = new HashMap<>();
		Map<String, String> byRecordId = new HashMap<>();
		Map<String, HubSpotError> refused = new HashMap<>();
		Set<String> created = new HashSet<>();
		JsonNode answer;
		try {
			answer = MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			// Nothing is confirmed by an answer that cannot be read.
			return new BatchResult(byTraceId, byEmail, byRecordId, refused, created);
		}
		if (answer == null) {
			return new BatchResult(byTraceId, byEmail, byRecordId, refused, created);
		}
		for (JsonNode result : answer.path("results")) {
			JsonNode id = result.get("id");
			if (id == null || !id.isString()) {
				// A result without the contact's id confirms nothing the store could use.
				continue;
			}
			String recordId = id.stringValue();
			byRecordId.put(recordId, recordId);
			if (result.path("new").asBoolean(false)) {
				created.add(recordId);
			}
			JsonNode traceId = result.get("objectWriteTraceId");
			if (traceId != null && traceId.isString()) {
				byTraceId.put(traceId.stringValue(), recordId);
			}
			if (result.path("properties").path("email").isString()) {
				byEmail.put(result.path("properties").path("email").stringValue().toLowerCase(Locale.ROOT), recordId);
			}
			for (JsonNode warning : result.path("warnings")) {
				log.warn("HubSpot warned about a contact write: {} ({})", warning.path("message").asString(""),
						warning.path("category").asString(""),
						kv("objectWriteTraceId", (traceId != null) ? traceId.asString("") : ""));
			}
		}
		for (JsonNode error : answer.path("errors")) {
			HubSpotError parsed = HubSpotErrors.parse(error);
			for (JsonNode traceId : error.path("context").path("objectWriteTraceId")) {
				refused.put(traceId.asString(), parsed);
			}
			for (JsonNode id : error.path("context").path("id")) {
				refused.put(id.asString(), parsed);
			}
		}
		return new BatchResult(byTraceId, byEmail, byRecordId, refused, created);
	}

}
