package com.portaone.nsps.hubspot.event;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one event writes to HubSpot: the contact, identified by email, and the properties
 * to set on it. Every value is a string, as HubSpot's API takes them.
 *
 * @param eventId the NSPS event this write comes from
 * @param eventType SIM/Created or SIM/Updated
 * @param email the contact's email as sent by PortaBilling
 * @param properties HubSpot contact properties, absent values left out
 * @param eventTime when PortaBilling produced the event, if known
 */
public record ContactUpsert(String eventId, String eventType, String email, Map<String, String> properties,
		@Nullable LocalDateTime eventTime) {

	public ContactUpsert {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
	}

	/**
	 * HubSpot compares emails case-insensitively, so the connector keys them likewise.
	 */
	public String contactKey() {
		return this.email.toLowerCase(Locale.ROOT);
	}

}
