package com.portaone.nsps.hubspot.client;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * HubSpot's error body. Every field is optional: proxies answer with HTML or cut bodies.
 *
 * @param message HubSpot's message, or the start of a body that was not HubSpot's JSON
 * @param category such as {@code VALIDATION_ERROR} or {@code CONFLICT}
 * @param policyName on 429: {@code TEN_SECONDLY_ROLLING} or {@code DAILY}
 * @param correlationId HubSpot's id of the request, for its support
 * @param codes the codes of the error, of its details and of the entries its message
 * carries, such as {@code MISSING_REQUIRED_PROPERTY} or {@code PROPERTY_DOESNT_EXIST}
 * @param requiredProperties the properties the portal's rules require, from the error's
 * context
 * @param missingProperties the properties HubSpot says do not exist, every one its
 * message names
 */
record HubSpotError(@Nullable String message, @Nullable String category, @Nullable String policyName,
		@Nullable String correlationId, List<String> codes, List<String> requiredProperties,
		List<String> missingProperties) {

	static final HubSpotError NONE = new HubSpotError(null, null, null, null, List.of(), List.of(), List.of());

	static final String PROPERTY_DOESNT_EXIST = "PROPERTY_DOESNT_EXIST";

	private static final List<String> REQUIRED_PROPERTY_CODES = List.of("MISSING_REQUIRED_PROPERTY",
			"MISSING_CONDITIONAL_REQUIRED_PROPERTY");

	HubSpotError {
		codes = List.copyOf(codes);
		requiredProperties = List.copyOf(requiredProperties);
		missingProperties = List.copyOf(missingProperties);
	}

	static HubSpotError ofText(String text) {
		return new HubSpotError(text, null, null, null, List.of(), List.of(), List.of());
	}

	boolean isDailyLimit() {
		return "DAILY".equalsIgnoreCase(this.policyName);
	}

	/** A property the connector writes does not exist in the portal. */
	boolean isPropertyMissing() {
		return !this.missingProperties.isEmpty() || mentions(PROPERTY_DOESNT_EXIST);
	}

	/**
	 * The portal's own validation rules (HubSpot 2026-09) require a property the write
	 * lacks.
	 */
	boolean isRequiredPropertyMissing() {
		return REQUIRED_PROPERTY_CODES.stream().anyMatch(this::mentions);
	}

	boolean isValidationError() {
		return "VALIDATION_ERROR".equalsIgnoreCase(this.category)
				|| (this.message != null && this.message.startsWith(HubSpotErrors.INVALID_PROPERTIES));
	}

	private boolean mentions(String code) {
		return this.codes.contains(code) || (this.message != null && this.message.contains(code));
	}

	/**
	 * The message, led by every property it names as missing or required, so that a cut
	 * of the text never drops them; a stand-in when HubSpot gave none.
	 */
	String describe() {
		String text = (this.message != null && !this.message.isBlank()) ? this.message : "no message";
		if (!this.missingProperties.isEmpty()) {
			return "HubSpot lacks the contact properties " + String.join(", ", this.missingProperties) + ": " + text;
		}
		if (isRequiredPropertyMissing() && !this.requiredProperties.isEmpty()) {
			return "HubSpot requires the contact property " + String.join(", ", this.requiredProperties) + ": " + text;
		}
		return text;
	}

}
