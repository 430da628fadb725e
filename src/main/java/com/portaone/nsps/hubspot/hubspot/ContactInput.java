package com.portaone.nsps.hubspot.hubspot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a single contact create or update: {@code {"properties": {...}}}.
 */
public record ContactInput(Map<String, String> properties) {

	public ContactInput {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
	}

}
