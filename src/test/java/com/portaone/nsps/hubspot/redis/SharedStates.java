package com.portaone.nsps.hubspot.redis;

import java.time.Duration;

/**
 * Redis connections as the connector makes them, for tests of the packages that share
 * state. Each has its own key prefix unless given one, so tests do not see each other's
 * keys in a shared Redis.
 */
final class SharedStates {

	private SharedStates() {
	}

	/** A new client of the Redis at {@code url}, keys under {@code keyPrefix}. */
	static SharedState connect(String url, String keyPrefix) {
		RedisSettings settings = new RedisSettings(url, keyPrefix, Duration.ofMillis(1000));
		return new SharedState(new SharedStateConfiguration.InRedis().redisson(settings), keyPrefix);
	}

	static void close(SharedState state) {
		state.redisson().shutdown();
	}

}
