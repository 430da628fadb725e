package com.portaone.nsps.hubspot.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the connector reaches HubSpot. Bound from the seed's environment names (see
 * {@code application.yml}).
 *
 * @param accessToken {@code ACCESS_TOKEN}: a Service Key or a private app's token
 * @param baseUrl {@code EXTERNAL_API_BASE_URL}: the contacts object endpoint, v3 or
 * date-versioned; the other endpoints are derived from it
 * @param timeout {@code HTTP_TIMEOUT_SECONDS}: the bound of one HTTP attempt
 * @param requestsPerSecond {@code HUBSPOT_REQUESTS_PER_SECOND}: the request budget; when
 * unset, the portal's own limit as HubSpot reports it
 * @param maxPermitWait {@code HUBSPOT_MAX_PERMIT_WAIT_SECONDS}: how long a write may wait
 * for budget before NSPS is answered 429
 * @param dailyLimitCooldown {@code HUBSPOT_DAILY_LIMIT_COOLDOWN_MINUTES}: the pause after
 * HubSpot's daily limit was reached
 * @param maxRetries {@code HUBSPOT_MAX_RETRIES}: retries of one request after a transient
 * failure
 * @param initialBackoff {@code HUBSPOT_INITIAL_BACKOFF_MILLIS}: the first retry's delay,
 * doubled for each next one
 * @param portalRecheck {@code HUBSPOT_PORTAL_RECHECK_SECONDS}: while HubSpot refuses the
 * token or properties are missing, how often the portal is asked again
 * @param inDoubtMargin {@code HUBSPOT_IN_DOUBT_MARGIN_SECONDS}: how long after the
 * connector gave up on a request HubSpot may still apply it; the contact's next write
 * waits that long
 */
@ConfigurationProperties("connector.hubspot")
@Validated
public record HubSpotSettings(String accessToken, String baseUrl, @DurationMin(millis = 1) Duration timeout,
		@Positive @Nullable Double requestsPerSecond, @DurationMin(seconds = 0) Duration maxPermitWait,
		@DurationMin(seconds = 0) Duration dailyLimitCooldown, @PositiveOrZero int maxRetries,
		@DurationMin(seconds = 0) Duration initialBackoff, @DurationMin(seconds = 1) Duration portalRecheck,
		@DurationMin(seconds = 0) Duration inDoubtMargin) {

	/** Refuses, at start-up, an endpoint the other endpoints cannot be derived from. */
	public HubSpotSettings {
		HubSpotEndpoints.of(baseUrl);
	}

	HubSpotEndpoints endpoints() {
		return HubSpotEndpoints.of(this.baseUrl);
	}

}
