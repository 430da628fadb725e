package com.portaone.nsps.hubspot.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns HubSpot's failures into exceptions: error answers of any shape (HubSpot's JSON, a
 * proxy's HTML page, a body cut short) and requests that got no answer.
 */
final class HubSpotErrors {

	/** Error bodies are read only this far: they are for the operator's eyes. */
	private static final int MAX_ERROR_BODY = 8 * 1024;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private HubSpotErrors() {
	}

	static HubSpotException exception(int status, HttpHeaders headers, byte[] body) {
		return new HubSpotException(status, parse(body), retryAfter(headers));
	}

	static HubSpotError parse(byte[] body) {
		try {
			JsonNode node = MAPPER.readTree(body);
			if (node != null && node.isObject()) {
				return parse(node);
			}
		}
		catch (JacksonException ex) {
			// Not HubSpot's JSON (a proxy's HTML page, a cut body): keep the text itself.
		}
		String text = new String(body, 0, Math.min(body.length, MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
		return text.isEmpty() ? HubSpotError.NONE : HubSpotError.ofText(text);
	}

	/** An error object: a whole answer, or one entry of a batch answer's errors. */
	static HubSpotError parse(JsonNode node) {
		Set<String> codes = new LinkedHashSet<>();
		Set<String> properties = new LinkedHashSet<>();
		collect(node, codes, properties);
		for (JsonNode detail : node.path("errors")) {
			collect(detail, codes, properties);
		}
		return new HubSpotError(field(node, "message"), field(node, "category"), field(node, "policyName"),
				field(node, "correlationId"), new ArrayList<>(codes), new ArrayList<>(properties));
	}

	private static void collect(JsonNode node, Set<String> codes, Set<String> properties) {
		for (String name : List.of("code", "subCategory", "error")) {
			String code = field(node, name);
			if (code != null) {
				codes.add(code);
			}
		}
		JsonNode named = node.path("context").path("propertyName");
		if (named.isString()) {
			properties.add(named.stringValue());
		}
		for (JsonNode name : named) {
			if (name.isString()) {
				properties.add(name.stringValue());
			}
		}
	}

	/** A request that got no whole answer: how it failed, in words for the log. */
	static HubSpotUnreachableException unreachable(Throwable cause) {
		String kind = (cause instanceof HttpTimeoutException) ? "timed out" : (cause instanceof ConnectException)
				? "refused the connection" : (cause instanceof IOException) ? "failed" : "failed unexpectedly";
		return new HubSpotUnreachableException("HubSpot request " + kind, cause);
	}

	private static @Nullable String field(JsonNode node, String name) {
		JsonNode value = node.get(name);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	private static @Nullable Duration retryAfter(HttpHeaders headers) {
		String value = headers.firstValue("Retry-After").orElse(null);
		if (value == null) {
			return null;
		}
		try {
			long seconds = Long.parseLong(value.strip());
			return (seconds >= 0) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
