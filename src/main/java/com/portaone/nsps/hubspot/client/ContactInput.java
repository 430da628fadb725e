package com.portaone.nsps.hubspot.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of a single contact create or update: {@code {"properties": {...}}}.
 */
record ContactInput(Map<String, String> properties) {

	ContactInput {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
	}

}
