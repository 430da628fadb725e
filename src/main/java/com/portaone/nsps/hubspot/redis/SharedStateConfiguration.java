package com.portaone.nsps.hubspot.redis;

import java.time.Duration;

import com.portaone.nsps.hubspot.client.BudgetPauses;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.client.PermitSchedule;
import com.portaone.nsps.hubspot.client.SharedSendWindow;
import com.portaone.nsps.hubspot.sync.ContactLocks;
import com.portaone.nsps.hubspot.sync.ContactStore;
import com.portaone.nsps.hubspot.sync.StoreSettings;
import com.portaone.nsps.hubspot.sync.SyncSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Where the connector keeps what replicas would share, chosen here and only here: with
 * {@code REDIS_URL} set, in Redis, so that every replica keeps one request budget, one
 * contact store and one set of contact locks; unset, in the process. Each is one
 * interface with an in-process and a Redis adapter: {@link ContactStore},
 * {@link ContactLocks}, {@link PermitSchedule}, {@link BudgetPauses},
 * {@link SharedSendWindow}.
 */
@Configuration(proxyBeanMethods = false)
class SharedStateConfiguration {

	/**
	 * Beyond the longest write, so that a lock outlives its write unless a replica dies.
	 */
	private static final Duration LOCK_MARGIN = Duration.ofSeconds(10);

	/** Everything in this process: one replica. */
	@Configuration(proxyBeanMethods = false)
	@Conditional(RedisUrlUnset.class)
	static class InProcess {

		@Bean
		ContactStore contactStore(StoreSettings settings) {
			return ContactStore.inProcess(settings);
		}

		@Bean
		ContactLocks contactLocks() {
			return ContactLocks.IN_PROCESS;
		}

		@Bean
		PermitSchedule permitSchedule(HubSpotSettings settings, MeterRegistry registry) {
			return PermitSchedule.inProcess(settings, registry);
		}

		@Bean
		BudgetPauses budgetPauses() {
			return BudgetPauses.inProcess();
		}

		@Bean
		SharedSendWindow sharedSendWindow() {
			return SharedSendWindow.NONE;
		}

	}

	/**
	 * In Redis, through Redisson, which reconnects by itself once Redis is back; commands
	 * fail fast meanwhile, so that events are answered 503 rather than held.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(RedisUrlSet.class)
	static class InRedis {

		@Bean(destroyMethod = "shutdown")
		RedissonClient redisson(RedisSettings settings) {
			Config config = new Config();
			// Connect on first use: a Redis down at start-up makes the connector not
			// ready, not fail to start.
			config.setLazyInitialization(true);
			config.setNettyThreads(4);
			config.setThreads(2);
			int timeout = (int) settings.timeout().toMillis();
			SingleServerConfig server = config.useSingleServer()
				.setAddress(settings.address())
				.setDatabase(settings.database())
				.setTimeout(timeout)
				.setConnectTimeout(timeout)
				.setRetryAttempts(1)
				.setRetryInterval(Math.max(100, timeout / 4))
				.setPingConnectionInterval(5000)
				.setConnectionMinimumIdleSize(2)
				.setConnectionPoolSize(16)
				.setClientName("nsps-hubspot-connector");
			server.setUsername(settings.username());
			server.setPassword(settings.password());
			return Redisson.create(config);
		}

		@Bean
		SharedState sharedState(RedissonClient redisson, RedisSettings settings) {
			return new SharedState(redisson, settings.keyPrefix());
		}

		/** {@code redis} in the readiness group: down while Redis does not answer. */
		@Bean
		HealthIndicator redisHealthIndicator(SharedState state) {
			return () -> {
				try {
					long millis = state.ping();
					return Health.up().withDetail("pingMillis", millis).build();
				}
				catch (RuntimeException ex) {
					return Health.down().withDetail("error", "Redis is unreachable").build();
				}
			};
		}

		@Bean
		ContactStore contactStore(SharedState state, StoreSettings settings) {
			return new RedisContactStore(state, settings.ttl());
		}

		/** A write ends by the latest deadline of its events plus one HTTP attempt. */
		@Bean
		ContactLocks contactLocks(SharedState state, SyncSettings sync, HubSpotSettings hubSpot) {
			return new RedisContactLocks(state, sync.eventDeadline().plus(hubSpot.timeout()).plus(LOCK_MARGIN));
		}

		@Bean
		PermitSchedule permitSchedule(SharedState state) {
			return new RedisPermitSchedule(state);
		}

		@Bean
		BudgetPauses budgetPauses(SharedState state) {
			return new RedisBudgetPauses(state);
		}

		@Bean
		SharedSendWindow sharedSendWindow(SharedState state) {
			return new RedisSendWindow(state);
		}

	}

	/** Whether {@code REDIS_URL} holds something. */
	static final class RedisUrlSet implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String url = context.getEnvironment().getProperty("connector.redis.url");
			return url != null && !url.isBlank();
		}

	}

	static final class RedisUrlUnset implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !new RedisUrlSet().matches(context, metadata);
		}

	}

}
