package com.portaone.nsps.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code REDIS_URL}: readiness includes Redis; while Redis is unreachable events are
 * answered 503 at once and never acknowledged; once it is back the connector recovers by
 * itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedisEndToEndTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final TestRedis redis = TestRedis.start();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
		registry.add("connector.redis.url", redis::url);
	}

	@AfterAll
	static void stop() {
		standIn.close();
		redis.close();
	}

	@Test
	void aRedisOutageIsAnswered503AndTheConnectorRecoversByItself() throws Exception {
		await().atMost(Duration.ofSeconds(15)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
		assertThat(get("/actuator/health/readiness").body()).contains("\"redis\"");
		assertThat(post("redis", 1).statusCode()).isEqualTo(202);
		assertThat(standIn.contact(SimEvents.email("redis", 1))).isPresent();
		// A redelivery is known to every replica: answered without writing.
		long writes = contactRequests();
		assertThat(post("redis", 1).statusCode()).isEqualTo(202);
		assertThat(contactRequests()).isEqualTo(writes);

		redis.stop();
		long start = System.nanoTime();
		HttpResponse<String> during = post("redis", 2);
		assertThat(during.statusCode()).isEqualTo(503);
		assertThat(during.body()).contains("SERVICE_ERROR").contains("shared state");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		assertThat(standIn.contact(SimEvents.email("redis", 2))).isEmpty();
		await().atMost(Duration.ofSeconds(15)).until(() -> get("/actuator/health/readiness").statusCode() == 503);
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

		redis.restart();
		long back = System.nanoTime();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> post("redis", 2).statusCode() == 202);
		await().atMost(Duration.ofSeconds(30)).until(() -> get("/actuator/health/readiness").statusCode() == 200);
		System.out.printf("REDIS-OUTAGE | answered 503 during the outage; recovered %d ms after Redis was back%n",
				Duration.ofNanos(System.nanoTime() - back).toMillis());
		assertThat(standIn.contact(SimEvents.email("redis", 2))).isPresent();
	}

	private HttpResponse<String> post(String run, int n) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/process-event"))
			.header("Authorization", "Bearer test-api-token")
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(40))
			.POST(HttpRequest.BodyPublishers.ofString(SimEvents.created(run, n)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Requests to HubSpot's contacts: the readiness check's property reads do not count.
	 */
	private static long contactRequests() {
		return standIn.requests().stream().filter((request) -> request.path().startsWith("/crm/v3/objects")).count();
	}

}
