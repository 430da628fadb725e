package com.portaone.nsps.hubspot.redis;

import java.time.Duration;

/**
 * Redis connections as the connector makes them, for tests of the packages that share
 * state. Each has its own key prefix unless given one, so tests do not see each other's
 * keys in a shared Redis.
 */
public final class SharedStates {

	private SharedStates() {
	}

	/** A new client of the Redis at {@code url}, keys under {@code keyPrefix}. */
	public static SharedState connect(String url, String keyPrefix) {
		RedisSettings settings = new RedisSettings(url, keyPrefix, Duration.ofMillis(1000));
		return new SharedState(new RedisConfiguration().redisson(settings), keyPrefix);
	}

	public static void close(SharedState state) {
		state.redisson().shutdown();
	}

}
