package com.portaone.nsps.hubspot.redis;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the replicas keep their shared state.
 *
 * @param url {@code REDIS_URL}: {@code redis://[user:password@]host:port[/database]}, or
 * {@code rediss://} for TLS; unset, all state stays in the process
 * @param keyPrefix {@code REDIS_KEY_PREFIX}: the start of every key, so that several
 * connectors can share one Redis
 * @param timeout {@code REDIS_TIMEOUT_MILLIS}: how long one Redis command may take
 */
@ConfigurationProperties("connector.redis")
@Validated
record RedisSettings(@Nullable String url, String keyPrefix, @DurationMin(millis = 1) Duration timeout) {

	boolean isConfigured() {
		return this.url != null && !this.url.isBlank();
	}

	/** The server's address without credentials or database, as Redisson takes it. */
	String address() {
		URI uri = uri();
		return uri.getScheme() + "://" + uri.getHost() + ":" + ((uri.getPort() > 0) ? uri.getPort() : 6379);
	}

	@Nullable String username() {
		String userInfo = uri().getUserInfo();
		if (userInfo == null || !userInfo.contains(":")) {
			return null;
		}
		String user = userInfo.substring(0, userInfo.indexOf(':'));
		return user.isEmpty() ? null : user;
	}

	@Nullable String password() {
		String userInfo = uri().getUserInfo();
		if (userInfo == null) {
			return null;
		}
		return userInfo.contains(":") ? userInfo.substring(userInfo.indexOf(':') + 1) : userInfo;
	}

	int database() {
		String path = uri().getPath();
		return (path == null || path.length() <= 1) ? 0 : Integer.parseInt(path.substring(1));
	}

	private URI uri() {
		URI uri = URI.create(this.url);
		if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
			throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://");
		}
		return uri;
	}

}
