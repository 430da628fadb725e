package com.portaone.nsps.hubspot;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import com.portaone.nsps.hubspot.standin.Fault;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three packaged connectors sharing one Redis, behind which NSPS's deliveries are spread
 * as a Kubernetes service spreads them, against one HubSpot stand-in with a portal's 100
 * requests per 10 s: together they keep one budget, never write one contact at once, keep
 * SPEC §4's invariant, and lose no acknowledged event when a replica is killed or Redis
 * restarts. A 5 s event deadline and a 2 s HTTP timeout keep a dead replica's contact
 * locks (deadline + timeout + 10 s) short enough for the run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

	private static final String API_TOKEN = "replicas-api-token";

	private static final int REPLICAS = 3;

	private static final int SENDERS = 300;

	/**
	 * HubSpot's limit, counted at arrival. The replicas send at most 96 in any 10 s
	 * between them (the limit less the budget's margin); the margin is what absorbs the
	 * differing delays between a send and its arrival.
	 */
	private static final int HUBSPOT_LIMIT_PER_10S = 100;

	private static final Duration BOUND = Duration.ofMinutes(3);

	private static TestRedis redis;

	private static HubSpotStandIn standIn;

	private static final List<ConnectorProcess> replicas = new CopyOnWriteArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@BeforeAll
	static void startReplicas() throws Exception {
		redis = TestRedis.start();
		standIn = HubSpotStandIn.start(0);
		Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
				"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "REDIS_URL", redis.url(), "LOG_LEVEL", "WARN",
				"EVENT_DEADLINE_SECONDS", "5", "HTTP_TIMEOUT_SECONDS", "2", "HUBSPOT_INITIAL_BACKOFF_MILLIS", "100",
				// -Dinvariant.inDoubtMarginSeconds=0 takes the wait for a request in
				// doubt
				// away, as if the fix were not there.
				"HUBSPOT_IN_DOUBT_MARGIN_SECONDS", System.getProperty("invariant.inDoubtMarginSeconds", "1"));
		Path logs = Files.createDirectories(Path.of("target"));
		List<Thread> starting = new ArrayList<>();
		List<Exception> failures = new CopyOnWriteArrayList<>();
		ConnectorProcess[] started = new ConnectorProcess[REPLICAS];
		for (int r = 0; r < REPLICAS; r++) {
			int replica = r;
			Thread thread = new Thread(() -> {
				try {
					started[replica] = ConnectorProcess.start(environment,
							logs.resolve("replica-" + replica + "-connector.log"));
				}
				catch (Exception ex) {
					failures.add(ex);
				}
			});
			thread.start();
			starting.add(thread);
		}
		for (Thread thread : starting) {
			thread.join();
		}
		replicas.addAll(List.of(started).stream().filter((replica) -> replica != null).toList());
		assertThat(failures).as("replicas that did not start").isEmpty();
	}

	@AfterAll
	static void stopReplicas() throws Exception {
		for (ConnectorProcess replica : replicas) {
			replica.close();
		}
		if (standIn != null) {
			standIn.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@BeforeEach
	void freshHubSpot() {
		// Each test counts its own requests. The stand-in forgets the previous test's
		// window, so it can only be more lenient than HubSpot: the replicas' pacing is
		// what is checked.
		standIn.reset();
		standIn.setLatency(Duration.ofMillis(150), 0.2);
	}

	@Test
	@Order(1)
	void threeReplicasKeepOneBudgetAndNeverWriteAContactAtOnce() throws Exception {
		String run = "replicas" + Long.toString(System.currentTimeMillis(), 36);
		List<Integer> events = IntStream.range(0, 1200).boxed().toList();
		NspsSenders senders = new NspsSenders(API_TOKEN, 30, Duration.ofSeconds(30));
		long start = System.nanoTime();
		assertThat(senders.deliver(replicas, run, events, SENDERS, BOUND)).as("senders done in time").isTrue();
		double seconds = (System.nanoTime() - start) / 1e9;
		int busiest = standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10));
		System.out.printf(Locale.ROOT,
				"REPLICAS | replicas %d | events %d | acknowledged %d | %.0f events/s (cold JVMs) | answers %s |"
						+ " HubSpot requests %d | busiest 10 s %d | HubSpot rolling-limit 429s %d |"
						+ " contacts written by two requests at once %d%n",
				REPLICAS, events.size(), senders.acknowledgedCount(), senders.acknowledgedCount() / seconds,
				senders.statuses(), standIn.requestCount(), busiest, standIn.rateLimitedCount(),
				standIn.concurrentWrites().size());
		assertThat(senders.acknowledged()).as("acknowledged events").hasSize(events.size());
		assertThat(NspsSenders.wrongContacts(standIn, run, events)).as("contacts missing or wrong").isEmpty();
		assertThat(busiest).as("requests of all replicas in any rolling 10 s")
			.isLessThanOrEqualTo(HUBSPOT_LIMIT_PER_10S);
		assertThat(standIn.rateLimitedCount()).as("HubSpot's rolling-limit 429s").isZero();
		assertThat(standIn.concurrentWrites()).as("contacts written by two requests at once").isEmpty();
	}

	@Test
	@Order(2)
	void theInvariantHoldsAcrossReplicas() throws Exception {
		// -Dinvariant.seeds and -Dinvariant.lateWrites for a longer or harsher run.
		long seedCount = Long.getLong("invariant.seeds", 12);
		Map<Fault, Double> faults = Map.of(Fault.UNAVAILABLE_503, 0.04, Fault.HANG, 0.02, Fault.LATE_WRITE,
				Double.parseDouble(System.getProperty("invariant.lateWrites", "0.02")), Fault.PARTIAL_207, 0.05,
				Fault.OMITTED_RESULT, 0.05, Fault.RESET, 0.02);
		standIn.setLatency(Duration.ofMillis(50), 0.5);
		// A held write lands this long after arrival, 0.5 s after the 2 s timeout unless
		// -Dinvariant.hangMillis says otherwise.
		standIn.setHangDuration(Duration.ofMillis(Long.getLong("invariant.hangMillis", 2500)));
		faults.forEach(standIn::setFaultRate);
		String run = Long.toString(System.currentTimeMillis(), 36);
		List<Thread> seeds = new ArrayList<>();
		List<OrderingInvariant.SeedRun> results = new CopyOnWriteArrayList<>();
		for (long seed = 1; seed <= seedCount; seed++) {
			long each = seed;
			Thread thread = new Thread(() -> {
				OrderingInvariant invariant = new OrderingInvariant(each, run).generate(3, 3);
				invariant.seed(standIn);
				try {
					results.add(new OrderingInvariant.SeedRun(invariant,
							invariant.deliver(this.http,
									replicas.stream().map((replica) -> replica.uri("/process-event")).toList(),
									API_TOKEN, 4, BOUND)));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			thread.start();
			seeds.add(thread);
		}
		for (Thread thread : seeds) {
			thread.join(BOUND.plusSeconds(30).toMillis());
		}
		faults.keySet().forEach((fault) -> standIn.setFaultRate(fault, 0));
		// Writes still running after the last answer (held ones) land first.
		standIn.awaitIdle(Duration.ofSeconds(30));
		OrderingInvariant.Checked checked = OrderingInvariant.Checked.of(standIn, results);
		System.out.printf(Locale.ROOT,
				"REPLICAS-INVARIANT | seeds %d | events %d | answers %s | HubSpot requests %d | busiest 10 s %d |"
						+ " HubSpot rolling-limit 429s %d | contacts written by two requests at once %d | violations %d%n",
				results.size(), checked.events(), checked.statuses(), standIn.requestCount(),
				standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10)), standIn.rateLimitedCount(),
				standIn.concurrentWrites().size(), checked.violations().size());
		assertThat(results).hasSize((int) seedCount);
		assertThat(checked.neverAcknowledged()).as("events never acknowledged").isEmpty();
		assertThat(checked.violations()).as("contacts and properties not holding the newest acknowledged value")
			.isEmpty();
		assertThat(OrderingInvariant.contactsTwiceInOneRequest(standIn.requests())).isEmpty();
		assertThat(standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10))).isLessThanOrEqualTo(HUBSPOT_LIMIT_PER_10S);
		assertThat(standIn.rateLimitedCount()).isZero();
		assertThat(standIn.concurrentWrites()).as("contacts written by two requests at once").isEmpty();
	}

	@Test
	@Order(3)
	void aReplicaKilledMidLoadLosesNothingAndNoContactIsWrittenTwiceAtOnce() throws Exception {
		String run = "killed" + Long.toString(System.currentTimeMillis(), 36);
		List<Integer> events = IntStream.range(0, 1200).boxed().toList();
		NspsSenders senders = new NspsSenders(API_TOKEN, 60, Duration.ofSeconds(30));
		Thread delivering = deliverUntilAThirdIsAcknowledged(senders, run, events);
		ConnectorProcess killed = replicas.get(1);
		int acknowledgedBeforeKill = senders.acknowledgedCount();
		killed.kill();
		Thread.sleep(2000);
		replicas.set(1, killed.restart(Path.of("target", "replica-1-restarted-connector.log")));
		delivering.join(BOUND.plusSeconds(60).toMillis());
		Set<Integer> acknowledged = senders.acknowledged();
		System.out.printf(Locale.ROOT,
				"REPLICAS-KILL | events %d | acknowledged before SIGKILL %d | acknowledged %d | given up %d | answers %s |"
						+ " connection failures %d | HubSpot rolling-limit 429s %d | busiest 10 s %d |"
						+ " contacts written by two requests at once %d%n",
				events.size(), acknowledgedBeforeKill, acknowledged.size(), senders.gaveUp().size(), senders.statuses(),
				senders.connectionFailures(), standIn.rateLimitedCount(),
				standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10)), standIn.concurrentWrites().size());
		assertThat(NspsSenders.wrongContacts(standIn, run, acknowledged)).as("acknowledged events lost").isEmpty();
		assertThat(acknowledged).as("events acknowledged in the end").hasSize(events.size());
		assertThat(standIn.concurrentWrites()).as("contacts written by two requests at once").isEmpty();
		assertThat(standIn.rateLimitedCount()).isZero();
	}

	@Test
	@Order(4)
	void aRedisRestartedMidLoadLosesNothingAndTheReplicasRecover() throws Exception {
		String run = "redis" + Long.toString(System.currentTimeMillis(), 36);
		List<Integer> events = IntStream.range(0, 1200).boxed().toList();
		NspsSenders senders = new NspsSenders(API_TOKEN, 120, Duration.ofSeconds(30));
		Thread delivering = deliverUntilAThirdIsAcknowledged(senders, run, events);
		redis.stop();
		int acknowledgedAtStop = senders.acknowledgedCount();
		Thread.sleep(3000);
		int acknowledgedWhileDown = senders.acknowledgedCount() - acknowledgedAtStop;
		int acknowledgedAtBack = senders.acknowledgedCount();
		redis.restart();
		long back = System.nanoTime();
		Set<Integer> recovered = new HashSet<>();
		long readyNanos = 0;
		long firstAcknowledgedNanos = -1;
		while ((recovered.size() < REPLICAS || firstAcknowledgedNanos < 0)
				&& System.nanoTime() - back < Duration.ofSeconds(60).toNanos()) {
			for (int r = 0; r < REPLICAS; r++) {
				if (!recovered.contains(r) && ready(replicas.get(r))) {
					recovered.add(r);
					readyNanos = System.nanoTime() - back;
				}
			}
			if (firstAcknowledgedNanos < 0 && senders.acknowledgedCount() > acknowledgedAtBack) {
				firstAcknowledgedNanos = System.nanoTime() - back;
			}
			Thread.sleep(50);
		}
		delivering.join(BOUND.plusSeconds(60).toMillis());
		Set<Integer> acknowledged = senders.acknowledged();
		System.out.printf(Locale.ROOT,
				"REPLICAS-REDIS | events %d | acknowledged at Redis stop %d | acknowledged in the 3 s without Redis %d |"
						+ " all replicas ready %d ms and first event acknowledged %d ms after Redis was back |"
						+ " acknowledged %d | given up %d | answers %s | HubSpot rolling-limit 429s %d%n",
				events.size(), acknowledgedAtStop, acknowledgedWhileDown, readyNanos / 1_000_000,
				firstAcknowledgedNanos / 1_000_000, acknowledged.size(), senders.gaveUp().size(), senders.statuses(),
				standIn.rateLimitedCount());
		assertThat(recovered).as("replicas ready again after Redis was back").hasSize(REPLICAS);
		assertThat(Duration.ofNanos(readyNanos)).as("until every replica was ready").isLessThan(Duration.ofSeconds(30));
		assertThat(firstAcknowledgedNanos).as("an event acknowledged after Redis was back").isNotNegative();
		assertThat(Duration.ofNanos(firstAcknowledgedNanos)).as("until the first event was acknowledged")
			.isLessThan(Duration.ofSeconds(30));
		assertThat(NspsSenders.wrongContacts(standIn, run, acknowledged)).as("acknowledged events lost").isEmpty();
		assertThat(acknowledged).as("events acknowledged in the end").hasSize(events.size());
	}

	/**
	 * Delivers the events in the background and returns once a third are acknowledged.
	 */
	private Thread deliverUntilAThirdIsAcknowledged(NspsSenders senders, String run, List<Integer> events)
			throws InterruptedException {
		Thread delivering = new Thread(() -> {
			try {
				senders.deliver(replicas, run, events, SENDERS, BOUND);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		delivering.start();
		while (senders.acknowledgedCount() < events.size() / 3 && delivering.isAlive()) {
			Thread.sleep(20);
		}
		return delivering;
	}

	private boolean ready(ConnectorProcess replica) {
		try {
			HttpResponse<Void> response = this.http.send(replica.request("/actuator/health/readiness").build(),
					HttpResponse.BodyHandlers.discarding());
			return response.statusCode() == 200;
		}
		catch (Exception ex) {
			return false;
		}
	}

}
