package com.portaone.nsps.hubspot.client;

import java.time.Duration;
import java.util.function.IntPredicate;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * One HTTP exchange with HubSpot, the same for every endpoint, through the
 * {@link RestClient}: sent through a {@link Permit}, its whole answer read within
 * {@code HTTP_TIMEOUT_SECONDS} (the request factory's deadline covers the body, so that
 * an answer cut short or stalled fails here, timed out once that long has passed), errors
 * turned into {@link HubSpotException}s, and what it says about the access token kept for
 * readiness.
 */
final class HubSpotHttp {

	private final RestClient client;

	private final String baseUrl;

	private final ConnectorMetrics metrics;

	private final HubSpotPortalStatus portal;

	private final Duration timeout;

	HubSpotHttp(RestClient client, String baseUrl, Duration timeout, ConnectorMetrics metrics,
			HubSpotPortalStatus portal) {
		this.client = client;
		this.baseUrl = baseUrl;
		this.timeout = timeout;
		this.metrics = metrics;
		this.portal = portal;
	}

	/**
	 * Sends a request through the permit.
	 * @param permit the request's permit
	 * @param operation the request's name in metrics
	 * @param method the HTTP method
	 * @param path {@code ""}, or a path starting with {@code /}, already encoded
	 * @param body a JSON body, or null for none
	 * @param accepted statuses other than 2xx that are an answer rather than a failure
	 * @return HubSpot's answer
	 * @throws HubSpotException for any other status, and when no whole answer came
	 */
	Answer send(Permit permit, String operation, HttpMethod method, String path, byte @Nullable [] body,
			IntPredicate accepted) {
		long start = System.nanoTime();
		String status = "io_error";
		try {
			Answer answer = permit.send((onHeaders) -> {
				Answer received = exchange(method, path, body, onHeaders);
				int code = received.status();
				if (code / 100 != 2 && !accepted.test(code)) {
					throw HubSpotException.answered(code, HubSpotErrors.parse(received.body()),
							HubSpotErrors.retryAfter(received.retryAfter()));
				}
				return received;
			});
			status = (answer.status() / 100 == 2) ? "2xx" : Integer.toString(answer.status());
			this.portal.accessAccepted();
			return answer;
		}
		catch (HubSpotException ex) {
			status = (ex.status() != 0) ? Integer.toString(ex.status()) : "io_error";
			if (ex.verdict() == Verdict.ACCESS_REFUSED) {
				this.portal.accessRefused(ex.error().describe());
			}
			throw ex;
		}
		finally {
			this.metrics.hubSpotRequest(operation, status, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	private Answer exchange(HttpMethod method, String path, byte @Nullable [] body,
			java.util.function.Consumer<RateLimitHeaders> onHeaders) {
		long began = System.nanoTime();
		RestClient.RequestBodySpec request = this.client.method(method)
			.uri(this.baseUrl + path)
			.accept(MediaType.APPLICATION_JSON);
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		try {
			return request.exchange((sent, response) -> {
				onHeaders.accept(RateLimitHeaders.of(response.getHeaders()));
				return new Answer(response.getStatusCode().value(), response.getBody().readAllBytes(),
						response.getHeaders().getFirst("Retry-After"));
			});
		}
		catch (ResourceAccessException ex) {
			boolean pastDeadline = System.nanoTime() - began >= this.timeout.toNanos();
			throw HubSpotException.noAnswer((ex.getCause() != null) ? ex.getCause() : ex, pastDeadline);
		}
	}

	/** A status HubSpot answered with, the whole body, and its {@code Retry-After}. */
	record Answer(int status, byte[] body, @Nullable String retryAfter) {

	}

}
