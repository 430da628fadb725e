package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Writes an answer straight to the servlet response, where no message converter runs:
 * from a servlet filter, or from the thread that has an event's outcome
 * ({@link EventAnswer}).
 */
final class JsonAnswerWriter {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private JsonAnswerWriter() {
	}

	/** Writes and sends the answer: the response is flushed and closed. */
	static void write(HttpServletResponse response, int status, ErrorResponse body) throws IOException {
		response.setStatus(status);
		setJson(response);
		MAPPER.writeValue(response.getOutputStream(), body);
	}

	/**
	 * Writes its status, headers and JSON body into the response's buffer, neither
	 * flushed nor closed: the servlet container sends it when the request completes.
	 */
	static void write(HttpServletResponse response, ResponseEntity<?> answer) throws IOException {
		response.setStatus(answer.getStatusCode().value());
		answer.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
		Object body = answer.getBody();
		if (body != null) {
			// As Spring MVC's converter sends it: JSON is UTF-8 without a charset
			// parameter.
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getOutputStream().write(MAPPER.writeValueAsBytes(body));
		}
	}

	private static void setJson(HttpServletResponse response) {
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
	}

}
