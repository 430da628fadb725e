package com.portaone.nsps.hubspot.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.client.RestClient;

/**
 * The {@link RestClient} every HubSpot request goes through: Boot's builder (with its
 * observation, so each request is a client span and a {@code http.client.requests} timer)
 * on Apache HttpClient, which sends and reads on the calling worker's thread, with
 * {@code HTTP_TIMEOUT_SECONDS} as the deadline of the whole exchange, body included.
 */
@Configuration(proxyBeanMethods = false)
class HubSpotClientConfiguration {

	static final String REST_CLIENT = "hubSpotRestClient";

	static final String DEADLINES = "hubSpotExchangeDeadlines";

	/** No limit of the pool's own: {@code SYNC_WORKERS} bounds the requests in flight. */
	static final int MAX_CONNECTIONS = Integer.MAX_VALUE;

	static final String PORTAL_CHECKS = "hubSpotPortalChecks";

	/**
	 * HubSpot's first address only, as the JDK's client took it: Apache's client would
	 * try each in turn, each for the whole connect timeout, past the exchange's deadline.
	 */
	static final DnsResolver FIRST_ADDRESS = new DnsResolver() {

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			return new InetAddress[] { InetAddress.getByName(host) };
		}

		@Override
		public String resolveCanonicalHostname(String host) throws UnknownHostException {
			return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
		}

	};

	/** The check of the portal's contact properties, at start-up and while it fails. */
	@Bean(PORTAL_CHECKS)
	ThreadPoolTaskScheduler hubSpotPortalChecks() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("hubspot-portal-check-");
		scheduler.setDaemon(true);
		return scheduler;
	}

	/** The deadline of each HubSpot exchange, see {@link ExchangeDeadline}. */
	@Bean(DEADLINES)
	ThreadPoolTaskScheduler hubSpotExchangeDeadlines() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("hubspot-deadline-");
		scheduler.setDaemon(true);
		scheduler.setRemoveOnCancelPolicy(true);
		// Writes go on while the web server drains, after the context has begun to close.
		scheduler.setAcceptTasksAfterContextClose(true);
		return scheduler;
	}

	/**
	 * Apache HttpClient, HTTP/1.1: a pool as large as requests in flight can be; no
	 * retry, redirect, cookie, compression or protocol upgrade of its own; the connect,
	 * each silence and the whole exchange ({@link ExchangeDeadline}) bounded by
	 * {@code HTTP_TIMEOUT_SECONDS}.
	 */
	@Bean
	CloseableHttpClient hubSpotHttpClient(HubSpotSettings settings,
			@Qualifier(DEADLINES) ThreadPoolTaskScheduler deadlines) {
		Timeout timeout = Timeout.of(settings.timeout());
		ConnectionConfig connections = ConnectionConfig.custom()
			.setConnectTimeout(timeout)
			.setSocketTimeout(timeout)
			.build();
		return HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setMaxConnTotal(MAX_CONNECTIONS)
				.setMaxConnPerRoute(MAX_CONNECTIONS)
				.setDefaultConnectionConfig(connections)
				.setDnsResolver(FIRST_ADDRESS)
				.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setConnectionRequestTimeout(timeout)
				.setResponseTimeout(timeout)
				.setProtocolUpgradeEnabled(false)
				.build())
			.disableAutomaticRetries()
			.disableRedirectHandling()
			.disableCookieManagement()
			.disableContentCompression()
			.disableAuthCaching()
			.addExecInterceptorFirst(ExchangeDeadline.NAME, new ExchangeDeadline(deadlines, settings.timeout()))
			.addExecInterceptorAfter(ChainElement.CONNECT.name(), ExchangeDeadline.SENDING_NAME,
					ExchangeDeadline.SENDING)
			.build();
	}

	@Bean(REST_CLIENT)
	RestClient hubSpotRestClient(RestClient.Builder builder, HubSpotSettings settings, CloseableHttpClient http) {
		return builder.clone()
			.requestFactory(new HttpComponentsClientHttpRequestFactory(http))
			.defaultHeader("Authorization", "Bearer " + settings.accessToken())
			.build();
	}

}
