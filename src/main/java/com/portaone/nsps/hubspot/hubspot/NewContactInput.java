package com.portaone.nsps.hubspot.hubspot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a contact create: {@code {"properties": {...}, "associations": []}}.
 * HubSpot's contacts v3 contract requires the associations, even when there are none.
 */
public record NewContactInput(Map<String, String> properties, List<Object> associations) {

	public NewContactInput {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
		associations = List.copyOf(associations);
	}

}
