package com.portaone.nsps.hubspot.client;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.client.RestClient;

/**
 * The HubSpot client and its request budget as Spring wires them, for tests of the
 * packages above: in-process adapters unless others are given.
 */
public final class HubSpotClients {

	private final HubSpotPortalStatus portal;

	private final HubSpotSettings settings;

	private final ConnectorMetrics metrics;

	private final RestClient restClient;

	public HubSpotClients(HubSpotSettings settings, ConnectorMetrics metrics) {
		this(settings, metrics, new HubSpotPortalStatus());
	}

	HubSpotClients(HubSpotSettings settings, ConnectorMetrics metrics, HubSpotPortalStatus portal) {
		this.portal = portal;
		this.settings = settings;
		this.metrics = metrics;
		HubSpotClientConfiguration configuration = new HubSpotClientConfiguration();
		ThreadPoolTaskScheduler deadlines = configuration.hubSpotExchangeDeadlines();
		deadlines.initialize();
		this.restClient = configuration.hubSpotRestClient(RestClient.builder(), settings,
				configuration.hubSpotHttpClient(settings, deadlines));
	}

	/**
	 * Settings for a test: a short first backoff keeps retries fast.
	 * @param baseUrl the stand-in's, up to the contacts path
	 */
	public static HubSpotSettings settings(String contactsUrl, String token, Duration timeout,
			@Nullable Double requestsPerSecond, Duration maxPermitWait, int maxRetries, Duration inDoubtMargin) {
		return new HubSpotSettings(token, contactsUrl, timeout, requestsPerSecond, maxPermitWait,
				Duration.ofMinutes(15), maxRetries, Duration.ofMillis(20), Duration.ofSeconds(30), inDoubtMargin);
	}

	public HubSpotContactsClient contacts() {
		return new HubSpotContactsClient(this.settings, this.restClient, this.metrics, this.portal);
	}

	HubSpotPropertiesClient properties() {
		return new HubSpotPropertiesClient(this.settings, this.restClient, this.metrics, this.portal);
	}

	HubSpotPortalStatus portal() {
		return this.portal;
	}

	/** A budget of its own, kept in the process. */
	public HubSpotRequestBudget budget() {
		return budget(PermitSchedule.inProcess(this.settings, new SimpleMeterRegistry()), BudgetPauses.inProcess(),
				SharedSendWindow.NONE);
	}

	/** A budget over the given adapters, such as Redis's. */
	public HubSpotRequestBudget budget(PermitSchedule schedule, BudgetPauses pauses, SharedSendWindow window) {
		return new HubSpotRequestBudget(this.settings, this.metrics, this.portal, Clock.systemUTC(), schedule, pauses,
				window);
	}

	/** HubSpot's answer {@code status} with {@code body}, as the client reads it. */
	public static HubSpotException answered(int status, String body, @Nullable Duration retryAfter) {
		return HubSpotException.answered(status,
				HubSpotErrors.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)), retryAfter);
	}

	/** As a ten-secondly 429 from HubSpot would. */
	public static void pauseForHubSpotsWindow(HubSpotRequestBudget budget, Duration retryAfter) {
		budget.refused(HubSpotException.answered(429,
				new HubSpotError("limit", "RATE_LIMITS", "TEN_SECONDLY_ROLLING", null, List.of(), List.of(), List.of()),
				retryAfter));
	}

	/** As a daily 429 from HubSpot would. */
	public static void reachDailyLimit(HubSpotRequestBudget budget) {
		budget.refused(HubSpotException.answered(429,
				new HubSpotError("limit", "RATE_LIMITS", "DAILY", null, List.of(), List.of(), List.of()), null));
	}

}
