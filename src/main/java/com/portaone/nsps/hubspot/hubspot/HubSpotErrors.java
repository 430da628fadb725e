package com.portaone.nsps.hubspot.hubspot;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.ResourceAccessException;

/**
 * Turns HubSpot's failures into exceptions: error answers of any shape (HubSpot's JSON, a
 * proxy's HTML page, a body cut short) and requests that got no answer.
 */
final class HubSpotErrors {

	/** Error bodies are read only this far: they are for the operator's eyes. */
	private static final int MAX_ERROR_BODY = 8 * 1024;

	private final JsonMapper mapper = JsonMapper.builder().build();

	HubSpotException exception(ClientHttpResponse response) throws IOException {
		return exception(response, response.getBody().readAllBytes());
	}

	HubSpotException exception(ClientHttpResponse response, byte[] body) throws IOException {
		return new HubSpotException(response.getStatusCode().value(), parse(body), retryAfter(response));
	}

	HubSpotError parse(byte[] body) {
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
		String text = new String(body, 0, Math.min(body.length, MAX_ERROR_BODY), StandardCharsets.UTF_8).strip();
		return text.isEmpty() ? HubSpotError.NONE : new HubSpotError(text, null, null, null);
	}

	static HubSpotUnreachableException unreachable(ResourceAccessException ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		String kind = (cause instanceof HttpTimeoutException) ? "timed out"
				: (cause instanceof ConnectException) ? "refused the connection" : "failed";
		return new HubSpotUnreachableException("HubSpot request " + kind, ex);
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

}
