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
 * @param codes the codes of the error and of its details, such as
 * {@code MISSING_REQUIRED_PROPERTY}
 * @param propertyNames the properties the error names in its context
 */
public record HubSpotError(@Nullable String message, @Nullable String category, @Nullable String policyName,
		@Nullable String correlationId, List<String> codes, List<String> propertyNames) {

	static final HubSpotError NONE = new HubSpotError(null, null, null, null, List.of(), List.of());

	private static final List<String> REQUIRED_PROPERTY_CODES = List.of("MISSING_REQUIRED_PROPERTY",
			"MISSING_CONDITIONAL_REQUIRED_PROPERTY");

	public HubSpotError {
		codes = List.copyOf(codes);
		propertyNames = List.copyOf(propertyNames);
	}

	static HubSpotError ofText(String text) {
		return new HubSpotError(text, null, null, null, List.of(), List.of());
	}

	public boolean isDailyLimit() {
		return "DAILY".equalsIgnoreCase(this.policyName);
	}

	/** A property the connector writes does not exist in the portal. */
	public boolean isPropertyMissing() {
		return mentions("PROPERTY_DOESNT_EXIST");
	}

	/**
	 * The portal's own validation rules (HubSpot 2026-09) require a property the write
	 * lacks.
	 */
	public boolean isRequiredPropertyMissing() {
		return REQUIRED_PROPERTY_CODES.stream().anyMatch(this::mentions);
	}

	boolean isValidationError() {
		return "VALIDATION_ERROR".equalsIgnoreCase(this.category)
				|| (this.message != null && this.message.startsWith("Property values were not valid"));
	}

	private boolean mentions(String code) {
		return this.codes.contains(code) || (this.message != null && this.message.contains(code));
	}

	/**
	 * The message, naming the properties a validation rule requires; a stand-in when
	 * HubSpot gave none.
	 */
	public String describe() {
		String text = (this.message != null && !this.message.isBlank()) ? this.message : "no message";
		if (isRequiredPropertyMissing() && !this.propertyNames.isEmpty()) {
			return "HubSpot requires the contact property " + String.join(", ", this.propertyNames) + ": " + text;
		}
		return text;
	}

}
