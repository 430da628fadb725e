package com.portaone.nsps.hubspot.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HubSpot endpoints derived from {@code EXTERNAL_API_BASE_URL}, for the v3 API
 * ({@code /crm/v3/objects/contacts}) and for the date-versioned one
 * ({@code /crm/objects/2026-03/contacts}). Whatever comes before those paths (a proxy's
 * prefix) is kept.
 *
 * @param contacts the contacts object endpoint, without a trailing slash
 * @param properties the contact properties endpoint of the same API version
 */
record HubSpotEndpoints(String contacts, String properties) {

	private static final Pattern V3 = Pattern.compile("^(.*)/crm/v3/objects/contacts$");

	private static final Pattern DATED = Pattern.compile("^(.*)/crm/objects/([0-9]{4}-[0-9]{2})/contacts$");

	static HubSpotEndpoints of(String baseUrl) {
		String contacts = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		Matcher dated = DATED.matcher(contacts);
		if (dated.matches()) {
			return new HubSpotEndpoints(contacts, dated.group(1) + "/crm/properties/" + dated.group(2) + "/contacts");
		}
		Matcher v3 = V3.matcher(contacts);
		if (v3.matches()) {
			return new HubSpotEndpoints(contacts, v3.group(1) + "/crm/v3/properties/contacts");
		}
		throw new IllegalArgumentException("EXTERNAL_API_BASE_URL must end in /crm/v3/objects/contacts or "
				+ "/crm/objects/<YYYY-MM>/contacts, not " + baseUrl);
	}

	String batchUpsert() {
		return this.contacts + "/batch/upsert";
	}

}
