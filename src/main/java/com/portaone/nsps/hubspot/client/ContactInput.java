package com.portaone.nsps.hubspot.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One contact of a batch call: by email for an upsert, by record id for an update.
 *
 * @param idProperty {@code email} for an upsert; absent for an update by record id
 * @param id the contact's email, or its record id
 * @param properties the properties to set
 * @param objectWriteTraceId the NSPS event id, so that HubSpot's per-input errors can be
 * mapped back to their event
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContactInput(@Nullable String idProperty, String id, Map<String, String> properties,
		String objectWriteTraceId) {

	public ContactInput {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
	}

	public static ContactInput byEmail(String email, Map<String, String> properties, String traceId) {
		return new ContactInput("email", email, properties, traceId);
	}

	public static ContactInput byRecordId(String recordId, Map<String, String> properties, String traceId) {
		return new ContactInput(null, recordId, properties, traceId);
	}

	boolean isByEmail() {
		return "email".equals(this.idProperty);
	}

}
