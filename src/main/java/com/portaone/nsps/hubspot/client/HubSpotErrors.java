package com.portaone.nsps.hubspot.client;

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
 * Reads HubSpot's error answers of any shape: HubSpot's JSON (with the entries it puts
 * into a validation message as a JSON string), a proxy's HTML page, a body cut short.
 */
final class HubSpotErrors {

	/** How HubSpot starts a message that carries its entries as JSON. */
	static final String INVALID_PROPERTIES = "Property values were not valid";

	/** Error bodies are read only this far: they are for the operator's eyes. */
	private static final int MAX_ERROR_BODY = 8 * 1024;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private HubSpotErrors() {
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
		Set<String> required = new LinkedHashSet<>();
		Set<String> missing = new LinkedHashSet<>();
		collect(node, codes, required);
		for (JsonNode detail : node.path("errors")) {
			collect(detail, codes, required);
		}
		String message = field(node, "message");
		for (JsonNode entry : messageEntries(message)) {
			String code = field(entry, "error");
			if (code != null) {
				codes.add(code);
			}
			if (HubSpotError.PROPERTY_DOESNT_EXIST.equals(code) && field(entry, "name") != null) {
				missing.add(field(entry, "name"));
			}
		}
		return new HubSpotError(message, field(node, "category"), field(node, "policyName"),
				field(node, "correlationId"), new ArrayList<>(codes), new ArrayList<>(required),
				new ArrayList<>(missing));
	}

	/**
	 * The entries of {@code Property values were not valid: [...]}, which HubSpot puts
	 * into the message as a JSON string.
	 */
	private static Iterable<JsonNode> messageEntries(@Nullable String message) {
		if (message == null || !message.startsWith(INVALID_PROPERTIES)) {
			return List.of();
		}
		int start = message.indexOf('[');
		if (start < 0) {
			return List.of();
		}
		try {
			JsonNode entries = MAPPER.readTree(message.substring(start));
			return (entries != null && entries.isArray()) ? entries : List.of();
		}
		catch (JacksonException ex) {
			return List.of();
		}
	}

	private static void collect(JsonNode node, Set<String> codes, Set<String> required) {
		for (String name : List.of("code", "subCategory", "error")) {
			String code = field(node, name);
			if (code != null) {
				codes.add(code);
			}
		}
		JsonNode named = node.path("context").path("propertyName");
		if (named.isString()) {
			required.add(named.stringValue());
		}
		for (JsonNode name : named) {
			if (name.isString()) {
				required.add(name.stringValue());
			}
		}
	}

	private static @Nullable String field(JsonNode node, String name) {
		JsonNode value = node.get(name);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	/** HubSpot's {@code Retry-After} in seconds, when it sent a usable one. */
	static @Nullable Duration retryAfter(@Nullable String value) {
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
