package com.portaone.nsps.hubspot.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a contact create: {@code {"properties": {...}, "associations": []}}.
 * HubSpot's contacts contract requires the associations, even when there are none.
 */
record NewContactInput(Map<String, String> properties, List<Object> associations) {

	NewContactInput {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
		associations = List.copyOf(associations);
	}

	NewContactInput(Map<String, String> properties) {
		this(properties, List.of());
	}

}
