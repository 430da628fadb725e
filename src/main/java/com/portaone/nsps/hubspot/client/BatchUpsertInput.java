package com.portaone.nsps.hubspot.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One contact of a batch upsert, identified by email.
 *
 * @param idProperty always {@code email}
 * @param id the contact's email
 * @param properties the properties to set
 * @param objectWriteTraceId the NSPS event id, so that HubSpot's per-input errors can be
 * mapped back to their event
 */
public record BatchUpsertInput(String idProperty, String id, Map<String, String> properties,
		String objectWriteTraceId) {

	public BatchUpsertInput {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
	}

	public static BatchUpsertInput byEmail(String email, Map<String, String> properties, String traceId) {
		return new BatchUpsertInput("email", email, properties, traceId);
	}

}
