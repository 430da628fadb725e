package com.portaone.nsps.hubspot.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.util.UriUtils;

/**
 * One HTTP exchange with HubSpot, the same for every endpoint: sent through a
 * {@link Permit}, measured, its body read whole within the timeout (so that an answer cut
 * short or stalled fails here, not unnoticed), errors turned into exceptions, and what it
 * says about the access token kept for readiness.
 * <p>
 * The JDK's client is used as it is: the body is serialized once into bytes, and no
 * thread is started per request (the hot path of a bulk import).
 */
final class HubSpotHttp {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final HttpClient client;

	private final String baseUrl;

	private final String authorization;

	private final Duration timeout;

	private final ConnectorMetrics metrics;

	private final HubSpotPortalStatus portal;

	HubSpotHttp(String baseUrl, HubSpotSettings settings, ConnectorMetrics metrics, HubSpotPortalStatus portal) {
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.timeout())
			.build();
		this.baseUrl = baseUrl;
		this.authorization = "Bearer " + settings.accessToken();
		this.timeout = settings.timeout();
		this.metrics = metrics;
		this.portal = portal;
	}

	/**
	 * A request to the base URL followed by {@code path}.
	 * @param path {@code ""}, or a path starting with {@code /}, already encoded
	 */
	HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(this.timeout)
			.header("Authorization", this.authorization)
			.header("Accept", "application/json");
	}

	/** A JSON request body. */
	static HttpRequest.BodyPublisher json(Object body) {
		return HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body));
	}

	/** One path segment, every character outside RFC 3986's unreserved set encoded. */
	static String segment(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * Sends a request through the permit.
	 * @param permit the request's permit
	 * @param operation the request's name in metrics
	 * @param request the request
	 * @param accepted statuses other than 2xx that are an answer rather than a failure
	 * @return HubSpot's answer
	 * @throws HubSpotException for any other status
	 * @throws HubSpotUnreachableException when no whole answer came within the timeout
	 */
	Answer send(Permit permit, String operation, HttpRequest request, IntPredicate accepted) {
		long start = System.nanoTime();
		String status = "io_error";
		try {
			Answer answer = permit.send((onHeaders) -> {
				HttpResponse<byte[]> response = exchange(request, (info) -> {
					onHeaders.accept(RateLimitHeaders.of(info.headers()));
					return HttpResponse.BodySubscribers.ofByteArray();
				});
				int code = response.statusCode();
				if (code / 100 != 2 && !accepted.test(code)) {
					throw HubSpotErrors.exception(code, response.headers(), response.body());
				}
				return new Answer(code, response.body());
			});
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
		finally {
			this.metrics.hubSpotRequest(operation, status, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	/**
	 * The whole exchange, body included, within the timeout: the request's own timeout
	 * ends at the response headers, a body that stalls after them is cut here.
	 */
	private HttpResponse<byte[]> exchange(HttpRequest request, HttpResponse.BodyHandler<byte[]> handler) {
		CompletableFuture<HttpResponse<byte[]>> response = this.client.sendAsync(request, handler);
		try {
			return response.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			response.cancel(true);
			throw new HubSpotUnreachableException("HubSpot request timed out", ex);
		}
		catch (InterruptedException ex) {
			response.cancel(true);
			Thread.currentThread().interrupt();
			throw new HubSpotUnreachableException("HubSpot request interrupted", ex);
		}
		catch (ExecutionException ex) {
			throw HubSpotErrors.unreachable((ex.getCause() != null) ? ex.getCause() : ex);
		}
	}

	/** A status HubSpot answered with, and the whole body. */
	record Answer(int status, byte[] body) {

	}

}
