package com.portaone.nsps.hubspot.client;

import java.time.Duration;

import com.portaone.nsps.hubspot.redis.SharedState;
import com.portaone.nsps.hubspot.redis.SharedStateUnavailableException;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.client.RedisException;

/**
 * The permit schedule shared by every replica: a Redisson rate limiter giving one permit
 * per spacing across all of them, so that the replicas together keep to one budget. A
 * Redis that restarted empty has lost the limiter's rate; it is set again.
 */
final class RedisPermitSchedule implements PermitSchedule {

	private final SharedState state;

	private final RRateLimiter limiter;

	private volatile Duration spacing;

	RedisPermitSchedule(SharedState state, Duration spacing) {
		this.state = state;
		this.spacing = spacing;
		this.limiter = state.call(() -> state.redisson().getRateLimiter(state.key("budget:permits")));
		try {
			respace(spacing);
		}
		catch (SharedStateUnavailableException ex) {
			// Set on the first permit taken once Redis answers.
		}
	}

	@Override
	public long reserve(long maxWaitNanos) {
		Duration wait = Duration.ofNanos(Math.max(0, maxWaitNanos));
		boolean granted = this.state.call(() -> {
			try {
				return this.limiter.tryAcquire(1, wait);
			}
			catch (RedisException ex) {
				if (ex.getMessage() == null || !ex.getMessage().contains("not initialized")) {
					throw ex;
				}
				this.limiter.setRate(RateType.OVERALL, 1, this.spacing);
				return this.limiter.tryAcquire(1, wait);
			}
		});
		// The wait happened inside Redisson: a permit granted is due now.
		return granted ? 0 : -1;
	}

	@Override
	public void respace(Duration spacing) {
		this.spacing = spacing;
		this.state.call(() -> {
			this.limiter.setRate(RateType.OVERALL, 1, spacing);
			return null;
		});
	}

}
