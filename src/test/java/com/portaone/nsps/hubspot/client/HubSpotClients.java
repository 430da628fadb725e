package com.portaone.nsps.hubspot.client;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.redis.SharedState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The HubSpot client and its request budget as Spring wires them, for tests of the
 * packages above.
 */
public final class HubSpotClients {

	private final HubSpotPortalStatus portal = new HubSpotPortalStatus();

	private final HubSpotSettings settings;

	private final ConnectorMetrics metrics;

	private final @Nullable SharedState shared;

	public HubSpotClients(HubSpotSettings settings, ConnectorMetrics metrics) {
		this(settings, metrics, null);
	}

	/** With Redis: the budget shared by every client given the same state. */
	public HubSpotClients(HubSpotSettings settings, ConnectorMetrics metrics, @Nullable SharedState shared) {
		this.settings = settings;
		this.metrics = metrics;
		this.shared = shared;
	}

	public HubSpotContactsClient contacts() {
		return new HubSpotContactsClient(this.settings, this.metrics, this.portal);
	}

	/** As a ten-secondly 429 from HubSpot would. */
	public static void pauseForHubSpotsWindow(HubSpotRequestBudget budget, Duration retryAfter) {
		budget.refused(new HubSpotException(429,
				new HubSpotError("limit", "RATE_LIMITS", "TEN_SECONDLY_ROLLING", null, List.of(), List.of()),
				retryAfter));
	}

	/** As a daily 429 from HubSpot would. */
	public static void reachDailyLimit(HubSpotRequestBudget budget) {
		budget.refused(new HubSpotException(429,
				new HubSpotError("limit", "RATE_LIMITS", "DAILY", null, List.of(), List.of()), null));
	}

	public HubSpotRequestBudget budget() {
		return new HubSpotRequestBudget(this.settings, this.metrics, this.portal, Clock.systemUTC(), this.shared,
				new SimpleMeterRegistry());
	}

}
