package com.portaone.nsps.hubspot;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import com.portaone.nsps.hubspot.standin.RecordedRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures sync throughput against the packaged connector and a HubSpot stand-in with
 * HubSpot's limit (100 requests per rolling 10 s) and 150 ms ±20% latency. NSPS-like
 * senders post distinct SIM/Created events and redeliver an event about 1 s after a 429,
 * a 503 or a timeout. Run with {@code scripts/benchmark.sh MODE EVENTS SENDERS}.
 */
public final class SyncBenchmark {

	private static final String API_TOKEN = "benchmark-api-token";

	private static final Duration REDELIVERY_DELAY = Duration.ofSeconds(1);

	/**
	 * HubSpot's rolling window: after the warm-up, it empties before the measured run.
	 */
	private static final Duration HUBSPOT_WINDOW = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private SyncBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String mode = (args.length > 0) ? args[0] : "batch";
		int events = (args.length > 1) ? Integer.parseInt(args[1]) : 5000;
		int senders = (args.length > 2) ? Integer.parseInt(args[2]) : 300;
		int warmUpEvents = (args.length > 3) ? Integer.parseInt(args[3]) : 3000;
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			standIn.setLatency(Duration.ofMillis(150), 0.2);
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "HUBSPOT_WRITE_MODE", mode, "LOG_LEVEL", "WARN");
			Path log = Files.createDirectories(Path.of("target")).resolve("benchmark-connector-" + mode + ".log");
			try (ConnectorProcess connector = ConnectorProcess.start(environment, log)) {
				if (warmUpEvents > 0) {
					// The JIT compiles the hot paths during the first thousands of
					// events; a bulk
					// import runs far longer, so its steady state is what is measured.
					run(connector, standIn, mode, warmUpEvents, senders);
					Thread.sleep(HUBSPOT_WINDOW.toMillis());
					standIn.reset();
				}
				Result result = run(connector, standIn, mode, events, senders);
				System.out.println(result.header());
				System.out.println(result.row());
			}
		}
		System.exit(0);
	}

	private static Result run(ConnectorProcess connector, HubSpotStandIn standIn, String mode, int events, int senders)
			throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HeapWatch heap = HeapWatch.start(http, connector);
		String run = Long.toString(System.currentTimeMillis(), 36);
		AtomicInteger next = new AtomicInteger();
		AtomicInteger redeliveries = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		Map<Integer, Boolean> acknowledged = new ConcurrentHashMap<>();
		CountDownLatch done = new CountDownLatch(senders);
		long start = System.nanoTime();
		for (int s = 0; s < senders; s++) {
			Thread sender = new Thread(() -> {
				try {
					for (int n = next.getAndIncrement(); n < events; n = next.getAndIncrement()) {
						deliver(http, connector, run, n, latencies, acknowledged, redeliveries, refused);
					}
				}
				finally {
					done.countDown();
				}
			}, "nsps-sender-" + s);
			sender.setDaemon(true);
			sender.start();
		}
		done.await();
		double seconds = (System.nanoTime() - start) / 1e9;
		heap.stop();
		long missing = acknowledged.keySet()
			.stream()
			.filter((n) -> standIn.contact(SimEvents.email(run, n)).isEmpty())
			.count();
		List<Long> sorted = new ArrayList<>(latencies);
		Collections.sort(sorted);
		return new Result(mode, events, senders, acknowledged.size() / seconds, percentile(sorted, 50),
				percentile(sorted, 99), standIn.requestCount(), standIn.rateLimitedCount(), meanBatchSize(standIn),
				standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10)), redeliveries.get(), refused.get(), missing,
				heap.maxUsedBytes() / (1024 * 1024), seconds);
	}

	/** Posts one event until it is acknowledged, redelivering as NSPS does. */
	private static void deliver(HttpClient http, ConnectorProcess connector, String run, int n, List<Long> latencies,
			Map<Integer, Boolean> acknowledged, AtomicInteger redeliveries, AtomicInteger refused) {
		HttpRequest request = HttpRequest.newBuilder(connector.uri("/process-event"))
			.header("Authorization", "Bearer " + API_TOKEN)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(SimEvents.created(run, n)))
			.build();
		while (true) {
			long sent = System.nanoTime();
			try {
				HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
				int status = response.statusCode();
				if (status == 202) {
					latencies.add(System.nanoTime() - sent);
					acknowledged.put(n, true);
					return;
				}
				if (status != 429 && status != 503) {
					refused.incrementAndGet();
					return;
				}
			}
			catch (HttpTimeoutException ex) {
				// NSPS treats a timeout like a failure and redelivers.
			}
			catch (IOException ex) {
				// Likewise a broken connection.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			redeliveries.incrementAndGet();
			try {
				Thread.sleep(REDELIVERY_DELAY.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static double meanBatchSize(HubSpotStandIn standIn) {
		long writes = 0;
		long contacts = 0;
		for (RecordedRequest request : standIn.requests()) {
			if (request.path().endsWith("/batch/upsert")) {
				writes++;
				contacts += json.readTree(request.body()).path("inputs").size();
			}
			else if (request.method().equals("POST") || request.method().equals("PATCH")) {
				writes++;
				contacts++;
			}
		}
		return (writes > 0) ? (double) contacts / writes : 0;
	}

	private static double percentile(List<Long> sortedNanos, int percentile) {
		if (sortedNanos.isEmpty()) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.size()) - 1;
		return sortedNanos.get(Math.max(0, index)) / 1e6;
	}

	record Result(String mode, int events, int senders, double eventsPerSecond, double p50Millis, double p99Millis,
			int hubSpotRequests, int hubSpot429s, double meanBatchSize, int maxRequestsIn10s, int redeliveries,
			int refused, long acknowledgedMissing, long maxHeapMb, double seconds) {

		String header() {
			return "| mode | N | C | acknowledged events/s | p50 202 (ms) | p99 202 (ms) | HubSpot requests | HubSpot 429s"
					+ " | mean batch size | most requests in any 10 s | redeliveries | refused | acknowledged missing"
					+ " | max heap used (MB) | run (s) |";
		}

		String row() {
			return String.format(Locale.ROOT,
					"| %s | %d | %d | %.1f | %.0f | %.0f | %d | %d | %.1f | %d | %d | %d | %d | %d | %.1f |", this.mode,
					this.events, this.senders, this.eventsPerSecond, this.p50Millis, this.p99Millis,
					this.hubSpotRequests, this.hubSpot429s, this.meanBatchSize, this.maxRequestsIn10s,
					this.redeliveries, this.refused, this.acknowledgedMissing, this.maxHeapMb, this.seconds);
		}

	}

	/** Polls the connector's used heap through Actuator's metrics. */
	private static final class HeapWatch {

		private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

		private final AtomicLong maxUsed = new AtomicLong();

		static HeapWatch start(HttpClient http, ConnectorProcess connector) {
			HeapWatch watch = new HeapWatch();
			HttpRequest request = connector.request("/actuator/metrics/jvm.memory.used?tag=area:heap").build();
			watch.poller.scheduleAtFixedRate(() -> {
				try {
					String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
					long used = json.readTree(body).path("measurements").get(0).path("value").asLong();
					watch.maxUsed.accumulateAndGet(used, Math::max);
				}
				catch (Exception ex) {
					// A missed sample only lowers the resolution.
				}
			}, 0, 250, TimeUnit.MILLISECONDS);
			return watch;
		}

		void stop() {
			this.poller.shutdownNow();
		}

		long maxUsedBytes() {
			return this.maxUsed.get();
		}

	}

}
