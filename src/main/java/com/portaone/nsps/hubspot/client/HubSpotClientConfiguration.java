package com.portaone.nsps.hubspot.client;

import java.net.http.HttpClient;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.client.RestClient;

/**
 * The {@link RestClient} every HubSpot request goes through: Boot's builder (with its
 * observation, so each request is a client span and a {@code http.client.requests} timer)
 * on the JDK's HTTP client, HTTP/1.1, with {@code HTTP_TIMEOUT_SECONDS} as the deadline
 * of the whole exchange, body included. The request factory writes request bodies on a
 * pool of its own, one thread per request in flight at most.
 */
@Configuration(proxyBeanMethods = false)
class HubSpotClientConfiguration {

	static final String REST_CLIENT = "hubSpotRestClient";

	static final String BODY_WRITERS = "hubSpotRequestBodyWriters";

	static final String PORTAL_CHECKS = "hubSpotPortalChecks";

	/** The check of the portal's contact properties, at start-up and while it fails. */
	@Bean(PORTAL_CHECKS)
	ThreadPoolTaskScheduler hubSpotPortalChecks() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("hubspot-portal-check-");
		scheduler.setDaemon(true);
		return scheduler;
	}

	@Bean(BODY_WRITERS)
	ThreadPoolTaskExecutor hubSpotRequestBodyWriters() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("hubspot-body-");
		executor.setCorePoolSize(4);
		executor.setMaxPoolSize(Integer.MAX_VALUE);
		executor.setQueueCapacity(0);
		executor.setKeepAliveSeconds(10);
		executor.setAllowCoreThreadTimeOut(true);
		executor.setDaemon(true);
		executor.setAcceptTasksAfterContextClose(true);
		return executor;
	}

	@Bean(REST_CLIENT)
	RestClient hubSpotRestClient(RestClient.Builder builder, HubSpotSettings settings,
			@Qualifier(BODY_WRITERS) ThreadPoolTaskExecutor bodyWriters) {
		HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.timeout())
			.build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http, bodyWriters);
		factory.setReadTimeout(settings.timeout());
		return builder.clone()
			.requestFactory(factory)
			.defaultHeader("Authorization", "Bearer " + settings.accessToken())
			.build();
	}

}
