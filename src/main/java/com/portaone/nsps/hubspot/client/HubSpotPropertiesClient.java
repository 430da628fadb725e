package com.portaone.nsps.hubspot.client;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * HubSpot's Properties API for contacts, of the same API version as the contacts endpoint
 * ({@code /crm/v3/properties/contacts} or {@code /crm/properties/<version>/contacts}).
 */
@Component
class HubSpotPropertiesClient {

	private final HubSpotHttp http;

	HubSpotPropertiesClient(RestClient.Builder builder, HubSpotSettings settings, ConnectorMetrics metrics,
			HubSpotPortalStatus portal) {
		this.http = new HubSpotHttp(builder, settings.endpoints().properties(), settings, metrics, portal);
	}

	/**
	 * Whether the portal has the contact property: {@code GET .../{name}}, 200 or 404.
	 */
	boolean exists(Permit permit, String name) {
		return this.http
			.send(permit, "get_property", this.http.restClient().get().uri("/{name}", name), (status) -> status == 404)
			.status() != 404;
	}

	/** Creates a contact property: {@code POST .../properties/contacts}. */
	void create(Permit permit, ContactPropertyDefinition property) {
		this.http.send(permit, "create_property",
				this.http.restClient().post().contentType(MediaType.APPLICATION_JSON).body(property),
				(status) -> false);
	}

}
