package com.portaone.nsps.hubspot.inbound;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.portaone.nsps.hubspot.SimEvents;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code MAX_EVENTS_IN_FLIGHT}: past it an event is answered 429 with Retry-After at
 * once, its body unread; a slot frees as soon as an event is answered.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "MAX_EVENTS_IN_FLIGHT=3")
class EventAdmissionTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@Test
	void pastTheLimitEventsAreRefusedAtOnceWithoutReadingTheirBody() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> standIn.requestCount() >= 5);
		standIn.setLatency(Duration.ofMillis(1500), 0);
		List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			held.add(
					this.http.sendAsync(post(SimEvents.created("admission", i)), HttpResponse.BodyHandlers.ofString()));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> standIn.requests().size() >= 6);
		// Not JSON at all: read, it would be a 422; unread, it is a 429.
		long start = System.nanoTime();
		HttpResponse<String> refused = this.http.send(post("not json"), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(refused.body()).contains("RATE_LIMIT_ERROR").contains("in flight");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
		for (CompletableFuture<HttpResponse<String>> answer : held) {
			assertThat(answer.get().statusCode()).isEqualTo(202);
		}
		standIn.setLatency(Duration.ZERO, 0);
		assertThat(this.http.send(post("not json"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(422);
		assertThat(this.http.send(post(SimEvents.created("admission", 9)), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(202);
	}

	private HttpRequest post(String body) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/process-event"))
			.header("Authorization", "Bearer test-api-token")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

}
