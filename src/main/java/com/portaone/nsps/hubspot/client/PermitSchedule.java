package com.portaone.nsps.hubspot.client;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * When the next request may leave: permits spread evenly, one per spacing, shared by
 * everything that sends to HubSpot through one budget: Resilience4j's rate limiter in the
 * process, a Bucket4j bucket in Redis for replicas
 * ({@code redis.SharedStateConfiguration} chooses).
 */
public interface PermitSchedule {

	/**
	 * Reserves the next permit.
	 * @param maxWaitNanos the longest the caller can wait
	 * @return nanoseconds until the reserved permit is due, or -1 when none is due within
	 * {@code maxWaitNanos} (then nothing is reserved, or a reservation is left unused:
	 * the budget only ever slows down)
	 */
	long reserve(long maxWaitNanos);

	/** Changes the spacing of the permits from now on. */
	void respace(Duration spacing);

	/** The schedule of one process: Resilience4j's rate limiter, with its metrics. */
	static PermitSchedule inProcess(HubSpotSettings settings, MeterRegistry registry) {
		return new LocalPermitSchedule(settings.maxPermitWait(), registry);
	}

}
