package com.portaone.nsps.hubspot.inbound;

import java.lang.management.ManagementFactory;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}: the liveness probe. Cheap and public; it never calls HubSpot, so a
 * HubSpot outage can never get the connector restarted.
 */
@RestController
class HealthController {

	@GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
	Health health() {
		return new Health("ok", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
	}

	record Health(String status, @JsonProperty("uptime_seconds") long uptimeSeconds) {

	}

}
