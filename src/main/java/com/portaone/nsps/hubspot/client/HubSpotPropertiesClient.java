package com.portaone.nsps.hubspot.client;

import java.net.http.HttpRequest;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;

import org.springframework.stereotype.Component;

/**
 * HubSpot's Properties API for contacts, of the same API version as the contacts endpoint
 * ({@code /crm/v3/properties/contacts} or {@code /crm/properties/<version>/contacts}).
 */
@Component
class HubSpotPropertiesClient {

	private final HubSpotHttp http;

	HubSpotPropertiesClient(HubSpotSettings settings, ConnectorMetrics metrics, HubSpotPortalStatus portal) {
		this.http = new HubSpotHttp(settings.endpoints().properties(), settings, metrics, portal);
	}

	/**
	 * Whether the portal has the contact property: {@code GET .../{name}}, 200 or 404.
	 */
	boolean exists(Permit permit, String name) {
		HttpRequest request = this.http.request("/" + HubSpotHttp.segment(name)).GET().build();
		return this.http.send(permit, "get_property", request, (status) -> status == 404).status() != 404;
	}

	/** Creates a contact property: {@code POST .../properties/contacts}. */
	void create(Permit permit, ContactPropertyDefinition property) {
		HttpRequest request = this.http.request("")
			.header("Content-Type", "application/json")
			.POST(HubSpotHttp.json(property))
			.build();
		this.http.send(permit, "create_property", request, (status) -> false);
	}

}
