package com.portaone.nsps.hubspot.client;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * What HubSpot says about its limits on every answer: the burst limit of the app
 * ({@code Max} requests per {@code Interval}) with what is left of it, and the daily
 * limit of the account, shared by all its apps.
 */
record RateLimitHeaders(@Nullable Integer max, @Nullable Integer remaining, @Nullable Long intervalMillis,
		@Nullable Long daily, @Nullable Long dailyRemaining) {

	static final RateLimitHeaders NONE = new RateLimitHeaders(null, null, null, null, null);

	static RateLimitHeaders of(HttpHeaders headers) {
		Long max = number(headers, "X-HubSpot-RateLimit-Max");
		Long remaining = number(headers, "X-HubSpot-RateLimit-Remaining");
		return new RateLimitHeaders((max != null) ? (int) Math.min(max, Integer.MAX_VALUE) : null,
				(remaining != null) ? (int) Math.min(remaining, Integer.MAX_VALUE) : null,
				number(headers, "X-HubSpot-RateLimit-Interval-Milliseconds"),
				number(headers, "X-HubSpot-RateLimit-Daily"), number(headers, "X-HubSpot-RateLimit-Daily-Remaining"));
	}

	private static @Nullable Long number(HttpHeaders headers, String name) {
		String value = headers.getFirst(name);
		if (value == null) {
			return null;
		}
		try {
			long parsed = Long.parseLong(value.strip());
			return (parsed >= 0) ? parsed : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
