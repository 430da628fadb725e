package com.portaone.nsps.hubspot.client;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriUtils;

/**
 * HubSpot's Properties API for contacts, of the same API version as the contacts endpoint
 * ({@code /crm/v3/properties/contacts} or {@code /crm/properties/<version>/contacts}).
 */
@Component
class HubSpotPropertiesClient {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final HubSpotHttp http;

	HubSpotPropertiesClient(HubSpotSettings settings,
			@Qualifier(HubSpotClientConfiguration.REST_CLIENT) RestClient client, ConnectorMetrics metrics,
			HubSpotPortalStatus portal) {
		this.http = new HubSpotHttp(client, settings.endpoints().properties(), settings.timeout(), metrics, portal);
	}

	/**
	 * Whether the portal has the contact property: {@code GET .../{name}}, 200 or 404.
	 */
	boolean exists(Permit permit, String name) {
		String path = "/" + UriUtils.encode(name, java.nio.charset.StandardCharsets.UTF_8);
		return this.http.send(permit, "get_property", HttpMethod.GET, path, null, (status) -> status == 404)
			.status() != 404;
	}

	/** Creates a contact property: {@code POST .../properties/contacts}. */
	void create(Permit permit, ContactPropertyDefinition property) {
		this.http.send(permit, "create_property", HttpMethod.POST, "", MAPPER.writeValueAsBytes(property),
				(status) -> false);
	}

}
