package com.portaone.nsps.hubspot.client;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.IntPredicate;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * One HTTP exchange with HubSpot, the same for every endpoint: sent through a
 * {@link Permit}, measured, its body read whole (so that an answer cut short fails here,
 * not unnoticed), errors turned into exceptions, and what it says about the access token
 * kept for readiness.
 */
final class HubSpotHttp {

	private final RestClient restClient;

	private final ConnectorMetrics metrics;

	private final HubSpotPortalStatus portal;

	HubSpotHttp(RestClient.Builder builder, String baseUrl, HubSpotSettings settings, ConnectorMetrics metrics,
			HubSpotPortalStatus portal) {
		this.metrics = metrics;
		this.portal = portal;
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.timeout())
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(settings.timeout());
		this.restClient = builder.clone()
			.requestFactory(requestFactory)
			.baseUrl(baseUrl)
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.accessToken())
			.build();
	}

	RestClient restClient() {
		return this.restClient;
	}

	/**
	 * Sends a request through the permit.
	 * @param permit the request's permit
	 * @param operation the request's name in metrics
	 * @param request the request, ready to be exchanged
	 * @param accepted statuses other than 2xx that are an answer rather than a failure
	 * @return HubSpot's answer
	 * @throws HubSpotException for any other status
	 * @throws HubSpotUnreachableException when no whole answer came
	 */
	Answer send(Permit permit, String operation, RestClient.RequestHeadersSpec<?> request, IntPredicate accepted) {
		long start = System.nanoTime();
		String status = "io_error";
		try {
			Answer answer = permit
				.send((onHeaders) -> request.accept(MediaType.APPLICATION_JSON).exchange((clientRequest, response) -> {
					onHeaders.accept(RateLimitHeaders.of(response.getHeaders()));
					int code = response.getStatusCode().value();
					byte[] body = response.getBody().readAllBytes();
					if (code / 100 != 2 && !accepted.test(code)) {
						throw HubSpotErrors.exception(code, response.getHeaders(), body);
					}
					return new Answer(code, body);
				}, true));
			status = (answer.status() / 100 == 2) ? "2xx" : Integer.toString(answer.status());
			this.portal.accessAccepted();
			return answer;
		}
		catch (HubSpotException ex) {
			status = Integer.toString(ex.status());
			if (ex.kind() == HubSpotException.Kind.ACCESS_REFUSED) {
				this.portal.accessRefused(ex.error().describe());
			}
			throw ex;
		}
		catch (ResourceAccessException ex) {
			throw HubSpotErrors.unreachable(ex);
		}
		finally {
			this.metrics.hubSpotRequest(operation, status, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	/** A status HubSpot answered with, and the whole body. */
	record Answer(int status, byte[] body) {

	}

}
