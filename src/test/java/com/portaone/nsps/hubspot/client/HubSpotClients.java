package com.portaone.nsps.hubspot.client;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.web.client.RestClient;

/**
 * The HubSpot client and its request budget as Spring wires them, for tests of the
 * packages above.
 */
public final class HubSpotClients {

	private final HubSpotPortalStatus portal = new HubSpotPortalStatus();

	private final HubSpotSettings settings;

	private final ConnectorMetrics metrics;

	public HubSpotClients(HubSpotSettings settings, ConnectorMetrics metrics) {
		this.settings = settings;
		this.metrics = metrics;
	}

	public HubSpotContactsClient contacts() {
		return new HubSpotContactsClient(RestClient.builder(), this.settings, this.metrics, this.portal);
	}

	public HubSpotRequestBudget budget() {
		return new HubSpotRequestBudget(this.settings, this.metrics, this.portal, new SimpleMeterRegistry());
	}

}
