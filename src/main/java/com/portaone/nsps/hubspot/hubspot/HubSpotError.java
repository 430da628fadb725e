package com.portaone.nsps.hubspot.hubspot;

import org.jspecify.annotations.Nullable;

/**
 * HubSpot's error body. Every field is optional: proxies answer with HTML or cut bodies.
 *
 * @param message HubSpot's message, or the start of a body that was not HubSpot's JSON
 * @param category such as {@code VALIDATION_ERROR} or {@code CONFLICT}
 * @param policyName on 429: {@code TEN_SECONDLY_ROLLING} or {@code DAILY}
 * @param correlationId HubSpot's id of the request, for its support
 */
public record HubSpotError(@Nullable String message, @Nullable String category, @Nullable String policyName,
		@Nullable String correlationId) {

	static final HubSpotError NONE = new HubSpotError(null, null, null, null);

	public boolean isDailyLimit() {
		return "DAILY".equalsIgnoreCase(this.policyName);
	}

	public boolean isPropertyMissing() {
		return this.message != null && this.message.contains("PROPERTY_DOESNT_EXIST");
	}

	/** The message, or a stand-in when HubSpot gave none. */
	public String describe() {
		return (this.message != null && !this.message.isBlank()) ? this.message : "no message";
	}

}
