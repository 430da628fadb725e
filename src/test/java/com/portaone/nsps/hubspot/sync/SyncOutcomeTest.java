package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HubSpot's text reaches NSPS's Event History masked and cut short.
 */
class SyncOutcomeTest {

	@Test
	void hubSpotsTextIsMaskedAndCutShort() {
		String echo = "Email address olena.koval@example.com is invalid; phone 380661310764 " + "x".repeat(1000);
		SyncOutcome.Rejected rejected = new SyncOutcome.Rejected(400, echo);
		assertThat(rejected.message()).doesNotContain("olena.koval")
			.doesNotContain("380661310764")
			.contains("o***@example.com")
			.hasSize(SyncOutcome.MAX_TEXT)
			.endsWith("…");
		assertThat(new SyncOutcome.Unavailable(SyncOutcome.Cause.SERVICE, echo).detail()).hasSize(SyncOutcome.MAX_TEXT)
			.doesNotContain("olena.koval");
		assertThat(new SyncOutcome.RateLimited(echo, Duration.ofSeconds(1)).detail()).hasSize(SyncOutcome.MAX_TEXT);
		assertThat(new SyncOutcome.Rejected(400, "short").message()).isEqualTo("short");
	}

}
