package com.portaone.nsps.hubspot.client;

import java.time.Duration;

import com.portaone.nsps.hubspot.redis.SharedState;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.client.RedisException;

/**
 * HubSpot's rolling window as the sends of all replicas fill it: Redisson's
 * sliding-window rate limiter, taken on the sending thread right before a request leaves,
 * as {@link SendWindow} checks this process's own sends. The shared permits are evenly
 * spaced already; this bounds what the replicas' differing delays between permit and send
 * could crowd into one window.
 */
final class RedisSendWindow {

	private final SharedState state;

	private final RRateLimiter sends;

	private volatile int windowLimit;

	private volatile Duration interval;

	RedisSendWindow(SharedState state, int windowLimit, Duration interval) {
		this.state = state;
		this.sends = state.redisson().getRateLimiter(state.key("budget:sends"));
		this.windowLimit = windowLimit;
		this.interval = interval;
	}

	/**
	 * Notes a send, waiting up to {@code maxWaitNanos} for room in the window.
	 * @return whether there was room
	 */
	boolean tryRecord(long maxWaitNanos) {
		Duration wait = Duration.ofNanos(Math.max(0, maxWaitNanos));
		return this.state.call(() -> {
			try {
				return this.sends.tryAcquire(1, wait);
			}
			catch (RedisException ex) {
				// A new or restarted Redis has no rate set yet.
				if (ex.getMessage() == null || !ex.getMessage().contains("not initialized")) {
					throw ex;
				}
				this.sends.trySetRate(RateType.OVERALL, this.windowLimit, this.interval);
				return this.sends.tryAcquire(1, wait);
			}
		});
	}

	/** A new limit for all replicas; the count starts anew with it. */
	void resize(int windowLimit, Duration interval) {
		this.windowLimit = windowLimit;
		this.interval = interval;
		this.state.call(() -> {
			this.sends.setRate(RateType.OVERALL, windowLimit, interval);
			return null;
		});
	}

}
