package com.portaone.nsps.hubspot.hubspot;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the connector reaches HubSpot. Bound from the seed's environment names (see
 * {@code application.yml}).
 *
 * @param accessToken {@code ACCESS_TOKEN}, the private app's token
 * @param baseUrl {@code EXTERNAL_API_BASE_URL}, the contacts object endpoint; the other
 * endpoints are derived from it
 * @param timeout {@code HTTP_TIMEOUT_SECONDS}, the bound of one HTTP attempt
 * @param requestsPerSecond {@code HUBSPOT_REQUESTS_PER_SECOND}, the connector's request
 * budget
 * @param maxPermitWait {@code HUBSPOT_MAX_PERMIT_WAIT_SECONDS}, how long a write may wait
 * for budget before NSPS is answered 429
 * @param dailyLimitCooldown {@code HUBSPOT_DAILY_LIMIT_COOLDOWN_MINUTES}, the pause after
 * HubSpot's daily limit was reached
 * @param maxRetries {@code HUBSPOT_MAX_RETRIES}, retries of one request after a transient
 * failure
 * @param initialBackoff {@code HUBSPOT_INITIAL_BACKOFF_MILLIS}, the first retry's delay,
 * doubled for each next one
 */
@ConfigurationProperties("connector.hubspot")
public record HubSpotSettings(String accessToken, String baseUrl, Duration timeout, double requestsPerSecond,
		Duration maxPermitWait, Duration dailyLimitCooldown, int maxRetries, Duration initialBackoff) {

	/**
	 * The share of the budget left unused: at most 96 of HubSpot's 100 per rolling 10 s,
	 * so that network jitter cannot push a window over it.
	 */
	static final double SAFETY_MARGIN = 0.045;

	/** The URL of the contacts endpoint without a trailing slash. */
	public String contactsUrl() {
		return this.baseUrl.endsWith("/") ? this.baseUrl.substring(0, this.baseUrl.length() - 1) : this.baseUrl;
	}

	/** The time between two permits of the request budget. */
	Duration permitSpacing() {
		return Duration.ofNanos((long) (1_000_000_000L / (this.requestsPerSecond * (1 - SAFETY_MARGIN))));
	}

}
