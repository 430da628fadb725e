package com.portaone.nsps.hubspot.client;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the HubSpot portal ({@code hubSpotPortal} in the readiness group): down
 * while required contact properties are known to be missing or HubSpot refuses the access
 * token, as every write would fail until an operator acts; {@link ContactPropertiesCheck}
 * asks again in the background, so a fixed portal brings readiness back. Shows the
 * account's daily request count. Never calls HubSpot.
 */
@Component
class HubSpotPortalHealthIndicator implements HealthIndicator {

	private final HubSpotPortalStatus status;

	HubSpotPortalHealthIndicator(HubSpotPortalStatus status) {
		this.status = status;
	}

	@Override
	public Health health() {
		boolean missing = this.status.properties() == HubSpotPortalStatus.PropertiesState.MISSING;
		String refusal = this.status.accessRefusal();
		Health.Builder health = (missing || refusal != null) ? Health.down() : Health.up();
		health.withDetail("contactProperties", this.status.properties().name());
		if (missing) {
			health.withDetail("missingContactProperties", this.status.missingProperties());
		}
		if (refusal != null) {
			health.withDetail("accessToken", "refused by HubSpot: " + refusal);
		}
		HubSpotPortalStatus.DailyUsage daily = this.status.dailyUsage();
		if (daily != null) {
			health.withDetail("dailyRequestLimit", daily.limit());
			health.withDetail("dailyRequestsRemaining", daily.remaining());
		}
		return health.build();
	}

}
