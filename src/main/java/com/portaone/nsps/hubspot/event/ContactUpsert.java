package com.portaone.nsps.hubspot.event;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one event writes to HubSpot: the subscriber it belongs to, the email HubSpot finds
 * the contact by, and the properties to set on it. Every value is a string, as HubSpot's
 * API takes them.
 *
 * @param eventId the NSPS event this write comes from
 * @param eventType SIM/Created or SIM/Updated
 * @param account {@code account_info.i_account}, the subscriber; absent on a SIM/Updated
 * that carries only the email
 * @param email the contact's email as sent by PortaBilling
 * @param properties HubSpot contact properties, the email included, absent values left
 * out
 * @param eventTime when PortaBilling produced the event, if known
 */
public record ContactUpsert(String eventId, String eventType, @Nullable Long account, String email,
		Map<String, String> properties, @Nullable LocalDateTime eventTime) {

	public ContactUpsert {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
	}

	/** The email in lower case: HubSpot compares emails case-insensitively. */
	public String emailKey() {
		return this.email.toLowerCase(Locale.ROOT);
	}

}
