package com.portaone.nsps.hubspot.inbound;

import java.lang.management.ManagementFactory;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health}: the liveness probe. Cheap and public; it never calls HubSpot, so a
 * HubSpot outage can never get the connector restarted. It fails only when the connector
 * itself is broken (its write dispatcher stopped), which a restart mends.
 */
@RestController
class HealthController {

	private final ApplicationAvailability availability;

	HealthController(ApplicationAvailability availability) {
		this.availability = availability;
	}

	@GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Health> health() {
		long uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
		if (this.availability.getLivenessState() == LivenessState.BROKEN) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(new Health("broken", uptime));
		}
		return ResponseEntity.ok(new Health("ok", uptime));
	}

	record Health(String status, @JsonProperty("uptime_seconds") long uptimeSeconds) {

	}

}
