package com.portaone.nsps.hubspot.redis;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The Redisson client, when {@code REDIS_URL} is set, and the readiness of Redis.
 * Redisson reconnects by itself once Redis is back; commands fail fast meanwhile, so that
 * events are answered 503 rather than held.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisConfiguration.RedisUrlSet.class)
@EnableConfigurationProperties(RedisSettings.class)
class RedisConfiguration {

	@Bean(destroyMethod = "shutdown")
	RedissonClient redisson(RedisSettings settings) {
		Config config = new Config();
		// Connect on first use: a Redis down at start-up makes the connector not ready,
		// not fail to start.
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

	/** Whether {@code REDIS_URL} holds something. */
	static final class RedisUrlSet implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String url = context.getEnvironment().getProperty("connector.redis.url");
			return url != null && !url.isBlank();
		}

	}

}
