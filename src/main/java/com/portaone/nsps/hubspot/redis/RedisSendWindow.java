package com.portaone.nsps.hubspot.redis;

import java.time.Duration;

import com.portaone.nsps.hubspot.client.SharedSendWindow;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.client.RedisException;

/**
 * HubSpot's rolling window as the sends of all replicas fill it: Redisson's
 * sliding-window rate limiter, taken on the sending thread right before a request leaves,
 * as {@code SendWindow} checks this process's own sends. The shared permits are evenly
 * spaced already; this bounds what the replicas' differing delays between permit and send
 * could crowd into one window.
 */
final class RedisSendWindow implements SharedSendWindow {

	private final SharedState state;

	private final RRateLimiter sends;

	private volatile int windowLimit;

	private volatile Duration interval = Duration.ofSeconds(10);

	/** Whether the limiter may exist in Redis yet: before the first send it does not. */
	private volatile boolean used;

	RedisSendWindow(SharedState state) {
		this.state = state;
		this.sends = state.redisson().getRateLimiter(state.key("budget:sends"));
	}

	/**
	 * Notes a send, waiting up to {@code maxWaitNanos} for room in the window.
	 * @return whether there was room
	 */
	@Override
	public boolean tryRecord(long maxWaitNanos) {
		this.used = true;
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
	@Override
	public void resize(int windowLimit, Duration interval) {
		this.windowLimit = windowLimit;
		this.interval = interval;
		if (!this.used) {
			// The rate is set with these values on the first send.
			return;
		}
		this.state.call(() -> {
			this.sends.setRate(RateType.OVERALL, windowLimit, interval);
			return null;
		});
	}

}
