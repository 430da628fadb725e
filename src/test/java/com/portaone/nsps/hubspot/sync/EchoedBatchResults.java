package com.portaone.nsps.hubspot.sync;

import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * A WireMock answer to a batch upsert that lists its inputs as HubSpot does: each in
 * {@code results} with its {@code objectWriteTraceId}, except those whose trace id the
 * stub's {@code refuse} parameter names (in {@code errors}, as a 207) or its {@code omit}
 * parameter names (left out of both, as a faulty answer would).
 */
final class EchoedBatchResults implements ResponseDefinitionTransformerV2 {

	static final String NAME = "echoed-batch-results";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public boolean applyGlobally() {
		return false;
	}

	@Override
	public ResponseDefinition transform(ServeEvent serveEvent) {
		Parameters parameters = serveEvent.getTransformerParameters();
		List<?> refuse = (parameters != null && parameters.get("refuse") instanceof List<?> list) ? list : List.of();
		List<?> omit = (parameters != null && parameters.get("omit") instanceof List<?> list) ? list : List.of();
		JsonNode request = JSON.readTree(serveEvent.getRequest().getBodyAsString());
		ObjectNode answer = JSON.createObjectNode();
		answer.put("status", "COMPLETE");
		ArrayNode results = answer.putArray("results");
		ArrayNode errors = JSON.createArrayNode();
		int id = 1;
		for (JsonNode input : request.path("inputs")) {
			String traceId = input.path("objectWriteTraceId").asString("");
			if (refuse.contains(traceId)) {
				ObjectNode error = errors.addObject();
				error.put("status", "error");
				error.put("category", "VALIDATION_ERROR");
				error.put("message", "Property values were not valid");
				error.putObject("context").putArray("objectWriteTraceId").add(traceId);
				error.putArray("errors");
				error.putObject("links");
			}
			else if (!omit.contains(traceId)) {
				ObjectNode result = results.addObject();
				result.put("id", Integer.toString(id++));
				result.put("objectWriteTraceId", traceId);
				result.set("properties", input.path("properties"));
				result.put("new", true);
				result.put("archived", false);
				result.put("createdAt", "2026-01-05T12:00:00.000Z");
				result.put("updatedAt", "2026-01-05T12:00:00.000Z");
			}
		}
		if (!errors.isEmpty()) {
			answer.put("numErrors", errors.size());
			answer.set("errors", errors);
		}
		answer.put("startedAt", "2026-01-05T12:00:00.000Z");
		answer.put("completedAt", "2026-01-05T12:00:00.100Z");
		return ResponseDefinitionBuilder.like(serveEvent.getResponseDefinition())
			.but()
			.withStatus(errors.isEmpty() ? 200 : 207)
			.withHeader("Content-Type", "application/json")
			.withBody(JSON.writeValueAsString(answer))
			.build();
	}

	/** A stub answer listing every input as written. */
	static ResponseDefinitionBuilder echoed() {
		return aResponse().withTransformers(NAME);
	}

	/** A stub answer refusing and leaving out the inputs with these trace ids. */
	static ResponseDefinitionBuilder echoed(List<String> refuse, List<String> omit) {
		return aResponse().withTransformer(NAME, "refuse", refuse).withTransformer(NAME, "omit", omit);
	}

}
