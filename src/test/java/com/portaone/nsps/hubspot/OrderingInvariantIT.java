package com.portaone.nsps.hubspot;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §4's invariant against the packaged jar at HubSpot's real pace: the default budget
 * (the portal's 100 per 10 s, as the stand-in reports it), a 3 s event deadline and a 1 s
 * HTTP timeout, so that deadlines expire in the middle of retries. Seeds are run four at
 * a time; {@code -Dinvariant.seeds} sets how many (20 in the build).
 *
 * <pre>
 * ./mvnw verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=OrderingInvariantIT -Dinvariant.seeds=500
 * </pre>
 */
class OrderingInvariantIT {

	private static final String API_TOKEN = "invariant-api-token";

	private static final int SEEDS = Integer.getInteger("invariant.seeds", 20);

	private static final Map<Fault, Double> FAULTS = Map.of(Fault.UNAVAILABLE_503, 0.04, Fault.HANG, 0.02,
			Fault.LATE_WRITE, 0.02, Fault.TEN_SECONDLY_429_RETRY_AFTER, 0.01, Fault.PARTIAL_207, 0.05,
			Fault.OMITTED_RESULT, 0.05, Fault.RESET, 0.02);

	@Test
	void everyContactHoldsTheNewestAcknowledgedValues() throws Exception {
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			standIn.setLatency(Duration.ofMillis(50), 0.5);
			standIn.setHangDuration(Duration.ofMillis(1500));
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "LOG_LEVEL", "WARN", "EVENT_DEADLINE_SECONDS", "3",
					"HTTP_TIMEOUT_SECONDS", "1", "HUBSPOT_INITIAL_BACKOFF_MILLIS", "100",
					"HUBSPOT_IN_DOUBT_MARGIN_SECONDS", "1");
			Path log = Files.createDirectories(Path.of("target")).resolve("invariant-connector.log");
			try (ConnectorProcess connector = ConnectorProcess.start(environment, log)) {
				FAULTS.forEach(standIn::setFaultRate);
				HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				String run = UUID.randomUUID().toString().substring(0, 6);
				ExecutorService pool = Executors.newFixedThreadPool(4);
				List<Future<OrderingInvariant.SeedRun>> futures = new ArrayList<>();
				long start = System.nanoTime();
				for (long seed = 1; seed <= SEEDS; seed++) {
					long each = seed;
					futures.add(pool.submit(() -> {
						OrderingInvariant invariant = new OrderingInvariant(each, run).generate(3, 3);
						invariant.seed(standIn);
						return new OrderingInvariant.SeedRun(invariant, invariant.deliver(http,
								List.of(connector.uri("/process-event")), API_TOKEN, 4, Duration.ofMinutes(3)));
					}));
				}
				List<OrderingInvariant.SeedRun> results = new ArrayList<>();
				for (Future<OrderingInvariant.SeedRun> future : futures) {
					results.add(future.get(10, TimeUnit.MINUTES));
				}
				pool.shutdown();
				FAULTS.keySet().forEach((fault) -> standIn.setFaultRate(fault, 0));
				// Writes still running after the last answer (held ones) land first.
				standIn.awaitIdle(Duration.ofSeconds(30));
				OrderingInvariant.Checked checked = OrderingInvariant.Checked.of(standIn, results);
				int busiest = standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10));
				List<String> twice = OrderingInvariant.contactsTwiceInOneRequest(standIn.requests());
				System.out.printf(Locale.ROOT,
						"INVARIANT-JAR | seeds %d | events %d | redeliveries %d | answers %s | HubSpot requests %d |"
								+ " busiest 10 s %d | HubSpot rolling-limit 429s %d | emails twice in a request %d |"
								+ " violations %d | run %.1f s%n",
						SEEDS, checked.events(), checked.redeliveries(), checked.statuses(), standIn.requestCount(),
						busiest, standIn.rateLimitedCount(), twice.size(), checked.violations().size(),
						(System.nanoTime() - start) / 1e9);
				assertThat(checked.neverAcknowledged()).as("events never acknowledged").isEmpty();
				assertThat(checked.violations()).as("contacts and properties not holding the newest acknowledged value")
					.isEmpty();
				assertThat(twice).as("emails sent twice in one batch").isEmpty();
				// Sends stay at 96 per 10 s; arrivals jitter, so HubSpot's 100 is the
				// line.
				assertThat(busiest).as("requests arriving in any rolling 10 s").isLessThanOrEqualTo(100);
				assertThat(standIn.rateLimitedCount()).as("HubSpot's rolling-limit 429s").isZero();
			}
		}
	}

}
