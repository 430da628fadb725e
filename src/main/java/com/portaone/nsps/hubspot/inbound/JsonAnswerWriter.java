package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

/**
 * Writes an error answer from a servlet filter, where no message converter runs.
 */
final class JsonAnswerWriter {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private JsonAnswerWriter() {
	}

	static void write(HttpServletResponse response, int status, ErrorResponse body) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		MAPPER.writeValue(response.getOutputStream(), body);
	}

}
