package com.portaone.nsps.hubspot.hubspot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The connector's share of HubSpot's request limit, taken by every HTTP attempt.
 * <p>
 * HubSpot counts requests at arrival in a rolling 10-second window, so permits are spread
 * evenly, one per {@link HubSpotSettings#permitSpacing()}, never in bursts at the edge of
 * a fixed window. After HubSpot's daily limit, no permit is given until the cool-down has
 * passed.
 */
@Component
public class HubSpotRequestBudget {

	private static final Logger log = LoggerFactory.getLogger(HubSpotRequestBudget.class);

	/** HubSpot's rolling window for its ten-secondly limit. */
	static final Duration HUBSPOT_WINDOW = Duration.ofSeconds(10);

	private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();

	private final RateLimiter rateLimiter;

	private final ConnectorMetrics metrics;

	private final Duration maxPermitWait;

	private final Duration dailyLimitCooldown;

	private final Clock clock;

	private volatile Instant dailyLimitCooldownEnd = Instant.MIN;

	/** Send times of the latest requests, oldest first: at most {@link #windowLimit}. */
	private final ArrayDeque<Long> recentSends = new ArrayDeque<>();

	private final Duration window;

	private final int windowLimit;

	@Autowired
	public HubSpotRequestBudget(HubSpotSettings settings, ConnectorMetrics metrics, MeterRegistry registry) {
		this(settings, metrics, Clock.systemUTC());
		TaggedRateLimiterMetrics.ofRateLimiterRegistry(this.rateLimiters).bindTo(registry);
	}

	HubSpotRequestBudget(HubSpotSettings settings, ConnectorMetrics metrics, Clock clock) {
		this(settings, metrics, clock, HUBSPOT_WINDOW,
				(int) (HUBSPOT_WINDOW.toNanos() / settings.permitSpacing().toNanos()) + 1);
	}

	HubSpotRequestBudget(HubSpotSettings settings, ConnectorMetrics metrics, Clock clock, Duration window,
			int windowLimit) {
		this.rateLimiter = this.rateLimiters.rateLimiter("hubspot",
				RateLimiterConfig.custom()
					.limitForPeriod(1)
					.limitRefreshPeriod(settings.permitSpacing())
					.timeoutDuration(settings.maxPermitWait())
					.build());
		this.metrics = metrics;
		this.maxPermitWait = settings.maxPermitWait();
		this.window = window;
		this.windowLimit = windowLimit;
		this.dailyLimitCooldown = settings.dailyLimitCooldown();
		this.clock = clock;
	}

	/**
	 * Waits for a permit to send one request.
	 * @param remaining how long the caller can still wait; the wait is the shorter of
	 * this and the configured bound
	 * @throws RequestBudgetExhaustedException when no permit comes in time
	 */
	public void acquire(Duration remaining) {
		Duration cooldown = dailyLimitCooldownRemaining();
		if (!cooldown.isZero()) {
			this.metrics.budgetRefused("daily_limit");
			throw new RequestBudgetExhaustedException("HubSpot's daily request limit was reached", cooldown);
		}
		long start = System.nanoTime();
		long waitNanos = this.rateLimiter.reservePermission();
		if (waitNanos < 0 || waitNanos > remaining.toNanos()) {
			this.metrics.budgetRefused("no_permit");
			// A reservation that comes too late is left unused: the budget only slows
			// down.
			throw new RequestBudgetExhaustedException("No HubSpot request budget within "
					+ Math.min(this.maxPermitWait.toMillis(), remaining.toMillis()) + " ms", Duration.ofSeconds(1));
		}
		if (waitNanos > 0) {
			park(waitNanos);
		}
		this.metrics.budgetWait(Duration.ofNanos(System.nanoTime() - start));
	}

	/**
	 * Called on the sending thread right before a request leaves: waits while the rolling
	 * window already holds as many sends as even spacing allows, then records this one.
	 */
	public void beforeSend() {
		while (true) {
			long waitNanos;
			synchronized (this.recentSends) {
				long now = System.nanoTime();
				while (!this.recentSends.isEmpty() && now - this.recentSends.peekFirst() >= this.window.toNanos()) {
					this.recentSends.pollFirst();
				}
				if (this.recentSends.size() < this.windowLimit) {
					this.recentSends.addLast(now);
					return;
				}
				waitNanos = this.window.toNanos() - (now - this.recentSends.peekFirst());
			}
			park(waitNanos);
		}
	}

	private static void park(long nanos) {
		LockSupport.parkNanos(nanos);
		if (Thread.interrupted()) {
			Thread.currentThread().interrupt();
			throw new RequestBudgetExhaustedException("Interrupted while waiting for HubSpot request budget",
					Duration.ofSeconds(1));
		}
	}

	/** The most requests the budget lets into any rolling window. */
	int windowLimit() {
		return this.windowLimit;
	}

	/** How long a write may wait for a permit before NSPS is answered 429. */
	public Duration maxPermitWait() {
		return this.maxPermitWait;
	}

	/** HubSpot answered 429 with policy DAILY: stop calling it for the cool-down. */
	public void dailyLimitReached() {
		this.dailyLimitCooldownEnd = this.clock.instant().plus(this.dailyLimitCooldown);
		log.warn("HubSpot's daily request limit reached; no requests for {} s", this.dailyLimitCooldown.toSeconds());
	}

	/** How long HubSpot's daily limit still cools down, zero when it does not. */
	public Duration dailyLimitCooldownRemaining() {
		Duration remaining = Duration.between(this.clock.instant(), this.dailyLimitCooldownEnd);
		return remaining.isNegative() ? Duration.ZERO : remaining;
	}

}
