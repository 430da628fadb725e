package com.portaone.nsps.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code HUBSPOT_REQUESTS_PER_SECOND} the budget follows the portal's own limit
 * as HubSpot reports it: against a stand-in at 100 per 10 s it keeps below 100 in any
 * rolling 10 s; once the stand-in reports 190, it paces up, and keeps below 190. One
 * request per event (single mode) so that the budget, not the batching, sets the pace.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "connector.sync.write-mode=single", "logging.level.com.portaone.nsps.hubspot=WARN" })
class PortalLimitTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final Duration PHASE = Duration.ofSeconds(13);

	@LocalServerPort
	private int port;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@Test
	void theBudgetFollowsThePortalsLimitAt100And190Per10Seconds() throws Exception {
		standIn.setLatency(Duration.ofMillis(30), 0.5);
		Phase at100 = run(100, "p100");
		Phase at190 = run(190, "p190");
		System.out.printf(Locale.ROOT, "PORTAL-LIMIT | %s | %s%n", at100, at190);
		assertThat(at100.busiest).as("busiest 10 s at 100").isLessThanOrEqualTo(100).isGreaterThan(85);
		assertThat(at190.busiest).as("busiest 10 s at 190").isLessThanOrEqualTo(190).isGreaterThan(150);
		assertThat(at100.rateLimited + at190.rateLimited).as("HubSpot's rolling-limit 429s").isZero();
		assertThat(at100.answers.keySet()).isSubsetOf(202, 429);
		assertThat(at190.answers.keySet()).isSubsetOf(202, 429);
	}

	private Phase run(int limit, String run) throws Exception {
		standIn.reset();
		standIn.setLimitPer10s(limit);
		// Let the connector learn the limit from an answer before the phase is measured.
		post(run, 0);
		Thread.sleep(10_500);
		standIn.reset();
		standIn.setLimitPer10s(limit);
		Map<Integer, Integer> answers = new ConcurrentHashMap<>();
		AtomicInteger next = new AtomicInteger(1);
		long end = System.nanoTime() + PHASE.toNanos();
		List<Thread> senders = new ArrayList<>();
		for (int s = 0; s < 40; s++) {
			Thread sender = new Thread(() -> {
				while (System.nanoTime() < end) {
					answers.merge(post(run, next.getAndIncrement()), 1, Integer::sum);
				}
			});
			sender.start();
			senders.add(sender);
		}
		for (Thread sender : senders) {
			sender.join(Duration.ofSeconds(60).toMillis());
		}
		return new Phase(limit, standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10)), standIn.rateLimitedCount(),
				answers);
	}

	private int post(String run, int n) {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/process-event"))
					.header("Authorization", "Bearer test-api-token")
					.header("Content-Type", "application/json")
					.timeout(Duration.ofSeconds(40))
					.POST(HttpRequest.BodyPublishers.ofString(SimEvents.created(run, n)))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private record Phase(int limit, int busiest, int rateLimited, Map<Integer, Integer> answers) {

		@Override
		public String toString() {
			return "stand-in at " + this.limit + " per 10 s: busiest 10 s " + this.busiest + ", rolling-limit 429s "
					+ this.rateLimited + ", answers " + this.answers;
		}

	}

}
