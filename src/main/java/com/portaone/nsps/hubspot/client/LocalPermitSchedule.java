package com.portaone.nsps.hubspot.client;

import java.time.Duration;

import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The permit schedule of one process: a Resilience4j rate limiter giving one permit per
 * spacing. A limiter's period cannot change, so a new spacing replaces the limiter.
 */
final class LocalPermitSchedule implements PermitSchedule {

	private static final String NAME = "hubspot";

	private final RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();

	private final Duration maxWait;

	private volatile RateLimiter limiter;

	/** The spacing the budget sets first, with its first {@link #respace}. */
	private static final Duration UNTIL_RESPACED = Duration.ofMillis(100);

	LocalPermitSchedule(Duration maxWait, @Nullable MeterRegistry registry) {
		this.maxWait = maxWait;
		this.limiter = this.limiters.rateLimiter(NAME, config(UNTIL_RESPACED));
		if (registry != null) {
			TaggedRateLimiterMetrics.ofRateLimiterRegistry(this.limiters).bindTo(registry);
		}
	}

	@Override
	public long reserve(long maxWaitNanos) {
		long wait = this.limiter.reservePermission();
		return (wait < 0 || wait > maxWaitNanos) ? -1 : wait;
	}

	@Override
	public void respace(Duration spacing) {
		RateLimiter replacement = RateLimiter.of(NAME, config(spacing));
		this.limiters.replace(NAME, replacement);
		this.limiter = replacement;
	}

	private RateLimiterConfig config(Duration spacing) {
		return RateLimiterConfig.custom()
			.limitForPeriod(1)
			.limitRefreshPeriod(spacing)
			.timeoutDuration(this.maxWait)
			.build();
	}

}
