package com.portaone.nsps.hubspot.event;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Validation rules that differ between PortaBilling installations.
 *
 * @param imsiPattern {@code IMSI_PATTERN}, a whole-value regular expression
 * @param phonePattern {@code PHONE_PATTERN}; PortaBilling numbers are often
 * international, so operators widen it
 */
@ConfigurationProperties("connector.event")
record EventRules(String imsiPattern, String phonePattern) {

	public static final String DEFAULT_IMSI_PATTERN = "^[0-9]{15}$";

	public static final String DEFAULT_PHONE_PATTERN = "^[0-9]{10}$";

	public EventRules(@Nullable String imsiPattern, @Nullable String phonePattern) {
		this.imsiPattern = orDefault(imsiPattern, DEFAULT_IMSI_PATTERN);
		this.phonePattern = orDefault(phonePattern, DEFAULT_PHONE_PATTERN);
	}

	public static EventRules defaults() {
		return new EventRules(null, null);
	}

	private static String orDefault(@Nullable String value, String fallback) {
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
