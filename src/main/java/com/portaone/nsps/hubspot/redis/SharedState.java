package com.portaone.nsps.hubspot.redis;

import java.util.function.Supplier;

import com.portaone.nsps.hubspot.sync.SharedStateUnavailableException;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;

/**
 * The replicas' shared Redis, with the key prefix every key starts with. Redis failures
 * come out of {@link #call} as {@link SharedStateUnavailableException}.
 */
final class SharedState {

	private final RedissonClient redisson;

	private final String keyPrefix;

	SharedState(RedissonClient redisson, String keyPrefix) {
		this.redisson = redisson;
		this.keyPrefix = keyPrefix;
	}

	RedissonClient redisson() {
		return this.redisson;
	}

	/** The full name of a key. */
	String key(String name) {
		return this.keyPrefix + name;
	}

	/**
	 * Runs Redis commands; a Redis failure becomes
	 * {@link SharedStateUnavailableException}.
	 */
	<T> T call(Supplier<T> commands) {
		try {
			return commands.get();
		}
		catch (RuntimeException ex) {
			throw unavailable(ex);
		}
	}

	/**
	 * What a failure of a Redis command turns into:
	 * {@link SharedStateUnavailableException} for Redis's and the connection's failures,
	 * the failure itself otherwise.
	 */
	static RuntimeException unavailable(RuntimeException failure) {
		// Libraries over Redisson (Bucket4j) wrap its failures once or twice.
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SharedStateUnavailableException shared) {
				return shared;
			}
			if (cause instanceof RedisException || cause.getClass().getName().startsWith("io.netty.")) {
				return new SharedStateUnavailableException(cause);
			}
		}
		return failure;
	}

	/** Milliseconds one round trip to Redis took. */
	long ping() {
		long start = System.nanoTime();
		call(() -> this.redisson.getBucket(key("ping")).isExists());
		return (System.nanoTime() - start) / 1_000_000;
	}

}
