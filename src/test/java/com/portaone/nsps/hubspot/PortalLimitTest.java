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
import com.portaone.nsps.hubspot.standin.RecordedRequest;
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
 * Without {@code HUBSPOT_REQUESTS_PER_SECOND} the budget follows the portal's own limit
 * as HubSpot reports it: against a stand-in at 100 per 10 s it keeps below 100 in any
 * rolling 10 s; once the stand-in reports 190, it paces up, and keeps below 190. One
 * request per event (single mode) so that the budget, not the batching, sets the pace.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "connector.sync.write-mode=single", "logging.level.com.portaone.nsps.hubspot=WARN" })
class PortalLimitTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final Duration AT_100 = Duration.ofSeconds(11);

	private static final Duration AT_190 = Duration.ofSeconds(12);

	private static final Duration WINDOW = Duration.ofSeconds(10);

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
		standIn.setLimitPer10s(100);
		Map<Integer, Integer> answers = new ConcurrentHashMap<>();
		AtomicInteger next = new AtomicInteger(1);
		long start = System.nanoTime();
		long raised = start + AT_100.toNanos();
		long end = raised + AT_190.toNanos();
		List<Thread> senders = new ArrayList<>();
		for (int s = 0; s < 40; s++) {
			Thread sender = new Thread(() -> {
				while (System.nanoTime() < end) {
					answers.merge(post("portal", next.getAndIncrement()), 1, Integer::sum);
				}
			});
			sender.start();
			senders.add(sender);
		}
		// The portal's limit goes up while the senders keep going; the stand-in reports
		// it on its next answer.
		await().atMost(AT_100.plusSeconds(5)).until(() -> System.nanoTime() >= raised);
		standIn.setLimitPer10s(190);
		for (Thread sender : senders) {
			sender.join(Duration.ofSeconds(60).toMillis());
		}
		List<Long> arrivals = standIn.requests().stream().map(RecordedRequest::arrivalNanos).sorted().toList();
		int at100 = busiest(arrivals.stream().filter((at) -> at < raised).toList());
		int at190 = busiest(arrivals.stream().filter((at) -> at >= raised).toList());
		int overall = busiest(arrivals);
		System.out.printf(Locale.ROOT,
				"PORTAL-LIMIT | busiest 10 s at 100: %d | after the raise to 190: %d | overall %d |"
						+ " rolling-limit 429s %d | answers %s%n",
				at100, at190, overall, standIn.rateLimitedCount(), answers);
		assertThat(at100).as("busiest 10 s at 100").isLessThanOrEqualTo(100).isGreaterThan(85);
		assertThat(at190).as("busiest 10 s after the raise to 190").isGreaterThan(150);
		assertThat(overall).as("busiest 10 s overall").isLessThanOrEqualTo(190);
		assertThat(standIn.rateLimitedCount()).as("HubSpot's rolling-limit 429s").isZero();
		assertThat(answers.keySet()).isSubsetOf(202, 429);
	}

	/** The most requests that arrived within any {@link #WINDOW}. */
	private static int busiest(List<Long> arrivals) {
		int best = 0;
		int first = 0;
		for (int last = 0; last < arrivals.size(); last++) {
			while (arrivals.get(last) - arrivals.get(first) >= WINDOW.toNanos()) {
				first++;
			}
			best = Math.max(best, last - first + 1);
		}
		return best;
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

}
