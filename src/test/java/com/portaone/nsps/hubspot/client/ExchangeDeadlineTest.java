package com.portaone.nsps.hubspot.client;

import java.net.SocketException;
import java.time.Duration;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;

/**
 * The deadline of an exchange is dropped however the exchange ends, so that no request
 * (and no body) is held until its deadline, and the pooled connection is left to the next
 * request; a failure before the request went out is never in doubt. That the deadline
 * cuts off an answer still trickling in is {@link HubSpotHttpTest}'s.
 */
class ExchangeDeadlineTest {

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private final ThreadPoolTaskScheduler deadlines = new HubSpotClientConfiguration().hubSpotExchangeDeadlines();

	private final PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create().build();

	private final CloseableHttpClient http;

	private final RestClient client;

	ExchangeDeadlineTest() {
		this.deadlines.initialize();
		this.http = HttpClients.custom()
			.setConnectionManager(this.pool)
			.disableAutomaticRetries()
			.addExecInterceptorFirst(ExchangeDeadline.NAME, new ExchangeDeadline(this.deadlines, Duration.ofMinutes(5)))
			.build();
		this.client = RestClient.builder()
			.requestFactory(new HttpComponentsClientHttpRequestFactory(this.http))
			.baseUrl(hubSpot.baseUrl())
			.build();
	}

	@AfterEach
	void close() throws Exception {
		this.http.close();
		this.deadlines.destroy();
	}

	@Test
	void anAnswerReadToItsEndDropsItsDeadlineAndLeavesItsConnectionToTheNext() {
		hubSpot.stubFor(get(urlEqualTo("/a")).willReturn(ok("first")));
		hubSpot.stubFor(get(urlEqualTo("/b")).willReturn(ok("second")));
		assertThat(this.client.get().uri("/a").retrieve().body(String.class)).isEqualTo("first");
		assertThat(pendingDeadlines()).isZero();
		assertThat(this.pool.getTotalStats().getAvailable()).isEqualTo(1);
		assertThat(this.client.get().uri("/b").retrieve().body(String.class)).isEqualTo("second");
		assertThat(pendingDeadlines()).isZero();
	}

	@Test
	void anAnswerWithoutABodyDropsItsDeadline() {
		hubSpot.stubFor(get(urlEqualTo("/a")).willReturn(noContent()));
		this.client.get().uri("/a").retrieve().toBodilessEntity();
		assertThat(pendingDeadlines()).isZero();
	}

	@Test
	void anExchangeThatFailsDropsItsDeadline() {
		hubSpot.stubFor(get(urlEqualTo("/a")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		assertThatExceptionOfType(ResourceAccessException.class)
			.isThrownBy(() -> this.client.get().uri("/a").retrieve().body(String.class));
		assertThat(pendingDeadlines()).isZero();
	}

	@Test
	void aRequestCancelledAfterItsExchangeEndedLeavesTheConnectionToTheNext() throws Exception {
		// What a deadline firing just as its exchange ends does: Apache's cancel of a
		// request
		// whose connection has gone back to the pool.
		hubSpot.stubFor(get(urlEqualTo("/a")).willReturn(ok("first")));
		hubSpot.stubFor(get(urlEqualTo("/b")).willReturn(ok("second")));
		HttpGet first = new HttpGet(hubSpot.baseUrl() + "/a");
		String answer = this.http.execute(first, (response) -> EntityUtils.toString(response.getEntity()));
		assertThat(answer).isEqualTo("first");
		first.cancel();
		assertThat(this.pool.getTotalStats().getAvailable()).isEqualTo(1);
		assertThat(this.client.get().uri("/b").retrieve().body(String.class)).isEqualTo("second");
		assertThat(this.pool.getTotalStats().getAvailable()).isEqualTo(1);
	}

	@Test
	void aFailureBeforeTheRequestWentOutIsNotSentAndNotInDoubt() {
		ExchangeDeadline deadline = new ExchangeDeadline(this.deadlines, Duration.ofMinutes(5));
		SocketException closed = new SocketException("Socket closed");
		assertThatExceptionOfType(ExchangeDeadline.NotSentException.class)
			.isThrownBy(() -> deadline.execute(new HttpGet("/a"), scope(), (request, scope) -> {
				throw closed;
			}))
			.withCause(closed)
			.satisfies((ex) -> assertThat(HubSpotException.noAnswer(ex, true).verdict())
				.isEqualTo(Verdict.CONNECTION_REFUSED));
		assertThat(pendingDeadlines()).isZero();
	}

	@Test
	void aFailureAfterTheRequestWentOutStaysAsItCame() {
		ExchangeDeadline deadline = new ExchangeDeadline(this.deadlines, Duration.ofMinutes(5));
		SocketException reset = new SocketException("Connection reset");
		assertThatExceptionOfType(SocketException.class).isThrownBy(() -> deadline.execute(new HttpGet("/a"), scope(),
				(request, scope) -> ExchangeDeadline.SENDING.execute(request, scope, (sent, sentScope) -> {
					throw reset;
				})))
			.isSameAs(reset);
		assertThat(HubSpotException.noAnswer(reset, false).verdict().inDoubt()).isTrue();
	}

	private static ExecChain.Scope scope() {
		return new ExecChain.Scope("ex-1", new HttpRoute(new HttpHost("127.0.0.1", 80)), new HttpGet("/a"),
				mock(ExecRuntime.class), HttpClientContext.create());
	}

	private int pendingDeadlines() {
		return this.deadlines.getScheduledThreadPoolExecutor().getQueue().size();
	}

}
