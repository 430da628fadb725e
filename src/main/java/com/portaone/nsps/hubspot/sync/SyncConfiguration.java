package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.redis.SharedState;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the sync engine keeps its ordering and its contact locks: in Redis, shared by the
 * replicas, when {@code REDIS_URL} is set; in the process otherwise.
 */
@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

	/**
	 * Beyond the longest write, so that a lock outlives its write unless a replica dies.
	 */
	private static final Duration LOCK_MARGIN = Duration.ofSeconds(10);

	@Bean
	OrderingStore orderingStore(RedeliverySettings settings, ObjectProvider<SharedState> shared) {
		SharedState state = shared.getIfAvailable();
		return (state != null) ? new RedisOrderingStore(state, settings) : new LocalOrderingStore(settings);
	}

	@Bean
	ContactLocks contactLocks(SyncSettings sync, HubSpotSettings hubSpot, ObjectProvider<SharedState> shared) {
		SharedState state = shared.getIfAvailable();
		// A write ends by the latest deadline of its events plus one HTTP attempt.
		Duration lease = sync.eventDeadline().plus(hubSpot.timeout()).plus(LOCK_MARGIN);
		return (state != null) ? new RedisContactLocks(state, lease) : ContactLocks.IN_PROCESS;
	}

}
