package com.portaone.nsps.hubspot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;

/**
 * Throughput of several packaged connectors sharing one Redis (a real
 * {@code redis-server}, or {@code REDIS_URL}'s), with NSPS-like senders spread over them,
 * against one HubSpot stand-in with a portal's limit and 150 ms ±20% latency. A warm-up
 * run lets the JIT of every replica compile first. Run with
 * {@code scripts/benchmark-replicas.sh REPLICAS EVENTS SENDERS WARM_UP LIMIT_PER_10S}.
 */
public final class ReplicasBenchmark {

	private static final String API_TOKEN = "benchmark-api-token";

	private ReplicasBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int replicaCount = (args.length > 0) ? Integer.parseInt(args[0]) : 3;
		int events = (args.length > 1) ? Integer.parseInt(args[1]) : 6000;
		int senders = (args.length > 2) ? Integer.parseInt(args[2]) : 300;
		int warmUp = (args.length > 3) ? Integer.parseInt(args[3]) : 6000;
		int limitPer10s = (args.length > 4) ? Integer.parseInt(args[4]) : 100;
		String configured = System.getenv("REDIS_URL");
		try (TestRedis redis = (configured == null || configured.isBlank()) ? TestRedis.start() : null;
				HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			standIn.setLatency(Duration.ofMillis(150), 0.2);
			standIn.setLimitPer10s(limitPer10s);
			String redisUrl = (redis != null) ? redis.url() : configured;
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "REDIS_URL", redisUrl, "REDIS_KEY_PREFIX",
					"benchmark-" + Long.toString(System.currentTimeMillis(), 36) + ":", "LOG_LEVEL", "WARN");
			List<ConnectorProcess> replicas = new ArrayList<>();
			try {
				for (int r = 0; r < replicaCount; r++) {
					replicas.add(ConnectorProcess.start(environment,
							Files.createDirectories(Path.of("target")).resolve("benchmark-replica-" + r + ".log")));
				}
				if (warmUp > 0) {
					run(replicas, standIn, "warm" + Long.toString(System.currentTimeMillis(), 36), warmUp, senders);
					Thread.sleep(10_500);
					standIn.reset();
				}
				List<SyncBenchmark.ProcessCpu> before = new ArrayList<>();
				for (ConnectorProcess replica : replicas) {
					before.add(SyncBenchmark.ProcessCpu.of(replica.pid()));
				}
				String run = "bench" + Long.toString(System.currentTimeMillis(), 36);
				long start = System.nanoTime();
				NspsSenders delivered = run(replicas, standIn, run, events, senders);
				double seconds = (System.nanoTime() - start) / 1e9;
				System.out.printf(Locale.ROOT,
						"| replicas | N | C | acknowledged events/s | HubSpot requests | mean batch size | most requests in any 10 s"
								+ " | HubSpot 429s | contacts written by two requests at once | answers | acknowledged missing |%n");
				System.out.printf(Locale.ROOT, "| %d | %d | %d | %.1f | %d | %.1f | %d | %d | %d | %s | %d |%n",
						replicaCount, events, senders, delivered.acknowledgedCount() / seconds, standIn.requestCount(),
						(double) delivered.acknowledgedCount() / Math.max(1, standIn.requestCount()),
						standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10)), standIn.rateLimitedCount(),
						standIn.concurrentWrites().size(), delivered.statuses(),
						NspsSenders.wrongContacts(standIn, run, delivered.acknowledged()).size());
				for (int r = 0; r < replicas.size(); r++) {
					System.out.println("replica " + r + " "
							+ SyncBenchmark.ProcessCpu.of(replicas.get(r).pid()).since(before.get(r), events));
				}
			}
			finally {
				for (ConnectorProcess replica : replicas) {
					replica.close();
				}
			}
		}
		System.exit(0);
	}

	private static NspsSenders run(List<ConnectorProcess> replicas, HubSpotStandIn standIn, String run, int events,
			int senders) throws InterruptedException {
		NspsSenders delivering = new NspsSenders(API_TOKEN, 30, Duration.ofSeconds(30));
		delivering.deliver(replicas, run, IntStream.range(0, events).boxed().toList(), senders, Duration.ofMinutes(5));
		return delivering;
	}

}
