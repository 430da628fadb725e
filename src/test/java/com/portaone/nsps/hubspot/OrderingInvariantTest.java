package com.portaone.nsps.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.standin.Fault;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §4's invariant over many seeded runs of NSPS-like traffic (see
 * {@link OrderingInvariant}: email changes, some to an email another contact holds, some
 * out of order, some followed by replays) against the whole connector and a HubSpot
 * stand-in that answers 5xx, hangs past the HTTP timeout, applies a request it held past
 * the timeout after the client gave up on it, answers 429, refuses single inputs in 207s
 * and leaves inputs out of 2xx answers, with event deadlines short enough to expire in
 * the middle of retries. After every event was acknowledged: for every subscriber, its
 * contact holds the newest acknowledged value of every property, the email included, and
 * no second contact was made for it; no request carried a contact twice; no two requests
 * wrote a contact at once; no rolling 10 s held more than the budget.
 * <p>
 * {@code -Dinvariant.inDoubtMargin=0ms} takes the wait for a request in doubt away, as if
 * the fix were not there: the late writes then leave stale values.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OrderingInvariantTest {

	static final String API_TOKEN = "test-api-token";

	/** The budget here: fast, so that hundreds of runs fit in the build. */
	static final int REQUESTS_PER_SECOND = 200;

	static final Map<Fault, Double> FAULTS = Map.of(Fault.UNAVAILABLE_503, 0.04, Fault.HANG, 0.02, Fault.LATE_WRITE,
			0.03, Fault.TEN_SECONDLY_429_RETRY_AFTER, 0.01, Fault.PARTIAL_207, 0.05, Fault.OMITTED_RESULT, 0.05,
			Fault.RESET, 0.02);

	static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
		registry.add("connector.sync.event-deadline", () -> "2s");
		registry.add("connector.hubspot.timeout", () -> "300ms");
		registry.add("connector.hubspot.initial-backoff", () -> "20ms");
		registry.add("connector.hubspot.max-retries", () -> 3);
		registry.add("connector.hubspot.max-permit-wait", () -> "2s");
		registry.add("connector.hubspot.requests-per-second", () -> REQUESTS_PER_SECOND);
		// A held write lands 200 ms after the client gave up (timeout 300 ms, hang 500
		// ms), later when the machine is busy: with a 400 ms margin, 2 of 9 runs on a
		// loaded machine (a build's two test forks, or two busy loops) found one stale
		// value each; 1 s leaves 800 ms of slack.
		registry.add("connector.hubspot.in-doubt-margin", () -> System.getProperty("invariant.inDoubtMargin", "1s"));
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@Nested
	class BatchMode extends Runs {

		@Test
		void twoHundredSeedsHoldTheInvariant() throws Exception {
			runSeeds(1, 200);
		}

	}

	@Nested
	@TestPropertySource(properties = "connector.sync.write-mode=single")
	class SingleMode extends Runs {

		@Test
		void twentySeedsHoldTheInvariant() throws Exception {
			runSeeds(1001, 20);
		}

	}

	abstract static class Runs {

		@LocalServerPort
		private int port;

		void runSeeds(long firstSeed, int seeds) throws Exception {
			standIn.reset();
			standIn.setLimitPer10s(100_000);
			standIn.setHangDuration(Duration.ofMillis(500));
			FAULTS.forEach(standIn::setFaultRate);
			HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			URI processEvent = URI.create("http://127.0.0.1:" + this.port + "/process-event");
			String run = UUID.randomUUID().toString().substring(0, 6);
			ExecutorService pool = Executors.newFixedThreadPool(4);
			List<Future<OrderingInvariant.SeedRun>> futures = new ArrayList<>();
			for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
				long each = seed;
				futures.add(pool.submit(() -> {
					OrderingInvariant invariant = new OrderingInvariant(each, run).generate(3, 3);
					invariant.seed(standIn);
					OrderingInvariant.Delivery delivery = invariant.deliver(http, List.of(processEvent), API_TOKEN, 4,
							Duration.ofSeconds(60));
					return new OrderingInvariant.SeedRun(invariant, delivery);
				}));
			}
			List<OrderingInvariant.SeedRun> results = new ArrayList<>();
			for (Future<OrderingInvariant.SeedRun> future : futures) {
				results.add(future.get(5, TimeUnit.MINUTES));
			}
			pool.shutdown();
			FAULTS.keySet().forEach((fault) -> standIn.setFaultRate(fault, 0));
			// Writes still running after the last answer (held ones) land first.
			standIn.awaitIdle(Duration.ofSeconds(20));
			OrderingInvariant.Checked checked = OrderingInvariant.Checked.of(standIn, results);
			int busiest = standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10));
			List<String> twice = OrderingInvariant.contactsTwiceInOneRequest(standIn.requests());
			List<String> atOnce = standIn.concurrentWrites();
			System.out.printf(Locale.ROOT,
					"INVARIANT | seeds %d-%d | events %d | email changes %d | deliveries %d (duplicates included) |"
							+ " redeliveries %d | answers %s | HubSpot requests %d | busiest 10 s %d |"
							+ " held writes landed %d | contacts twice in a request %d | contacts written at once %d |"
							+ " violations %d%n",
					firstSeed, firstSeed + seeds - 1, checked.events(), checked.emailChanges(), checked.deliveries(),
					checked.redeliveries(), checked.statuses(), standIn.requestCount(), busiest,
					standIn.heldWritesLanded(), twice.size(), atOnce.size(), checked.violations().size());
			assertThat(standIn.heldWritesLanded()).as("held writes landed after the client gave up").isPositive();
			assertThat(checked.neverAcknowledged()).as("events never acknowledged").isEmpty();
			assertThat(checked.violations()).as("contacts and properties not holding the newest acknowledged value")
				.isEmpty();
			assertThat(twice).as("contacts sent twice in one batch").isEmpty();
			assertThat(atOnce).as("contacts two requests wrote at once").isEmpty();
			// The budget: 200 requests/s less the margin, over 10 s.
			assertThat(busiest).as("requests in any rolling 10 s").isLessThanOrEqualTo(1911);
		}

	}

}
