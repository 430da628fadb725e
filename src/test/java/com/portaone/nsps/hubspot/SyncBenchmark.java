package com.portaone.nsps.hubspot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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
import java.util.stream.Stream;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import com.portaone.nsps.hubspot.standin.RecordedRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures sync throughput against the packaged connector and a HubSpot stand-in with a
 * portal's limit (100 requests per rolling 10 s unless told otherwise) and 150 ms
 * latency, ±20% with more than one sender. NSPS-like senders post distinct SIM/Created
 * events and redeliver an event about 1 s after a 429, a 503 or a timeout.
 * <p>
 * Besides throughput and latency it reports the connector's own CPU per event: the
 * process's user and system time from {@code /proc/<pid>/stat} over the measured window,
 * divided by the events acknowledged in it. With one sender, each event is followed by
 * the same request sent straight to the stand-in (a one-input batch upsert, as the
 * connector sends it), so that what the connector adds to HubSpot's round trip is
 * measured in the same run. Run with
 * {@code scripts/benchmark.sh MODE EVENTS SENDERS WARM_UP LIMIT_PER_10S}.
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
		int limitPer10s = (args.length > 4) ? Integer.parseInt(args[4]) : 100;
		int repeats = (args.length > 5) ? Integer.parseInt(args[5]) : 1;
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0); HubSpotStandIn direct = HubSpotStandIn.start(0)) {
			// One sender measures a difference of round trips: HubSpot's jitter would
			// only hide it. The direct requests go to a stand-in of their own, so that
			// they take nothing from the connector's limit.
			standIn.setLatency(Duration.ofMillis(150), (senders == 1) ? 0 : 0.2);
			standIn.setLimitPer10s(limitPer10s);
			direct.setLatency(Duration.ofMillis(150), 0);
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "HUBSPOT_WRITE_MODE", mode, "LOG_LEVEL", "WARN");
			Path log = Files.createDirectories(Path.of("target")).resolve("benchmark-connector-" + mode + ".log");
			try (ConnectorProcess connector = ConnectorProcess.start(environment, log)) {
				if (warmUpEvents > 0) {
					// The JIT compiles the hot paths during the first thousands of
					// events; a bulk import runs far longer.
					// With 300 senders whatever is measured: one sender would take
					// minutes.
					run(connector, standIn, direct, mode, warmUpEvents, Math.max(senders, 300));
					Thread.sleep(HUBSPOT_WINDOW.toMillis());
					standIn.reset();
				}
				for (int repeat = 1; repeat <= repeats; repeat++) {
					if (repeat > 1) {
						Thread.sleep(HUBSPOT_WINDOW.toMillis());
						standIn.reset();
					}
					ProcessCpu before = ProcessCpu.of(connector.pid());
					Result result = run(connector, standIn, direct, mode, events, senders);
					ProcessCpu after = ProcessCpu.of(connector.pid());
					System.out.println(result.header());
					System.out.println(result.row());
					System.out.println(after.since(before, result.acknowledged()));
					if (senders == 1) {
						System.out.println(result.roundTrips());
					}
				}
			}
		}
		System.exit(0);
	}

	static Result run(ConnectorProcess connector, HubSpotStandIn standIn, HubSpotStandIn direct, String mode,
			int events, int senders) throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HeapWatch heap = HeapWatch.start(http, connector);
		String run = Long.toString(System.currentTimeMillis(), 36);
		AtomicInteger next = new AtomicInteger();
		AtomicInteger redeliveries = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
		List<Long> straight = Collections.synchronizedList(new ArrayList<>());
		Map<Integer, Boolean> acknowledged = new ConcurrentHashMap<>();
		CountDownLatch done = new CountDownLatch(senders);
		long start = System.nanoTime();
		for (int s = 0; s < senders; s++) {
			Thread sender = new Thread(() -> {
				try {
					for (int n = next.getAndIncrement(); n < events; n = next.getAndIncrement()) {
						deliver(http, connector, run, n, latencies, acknowledged, redeliveries, refused);
						if (senders == 1) {
							straight.add(straightToHubSpot(http, direct, run, n));
						}
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
		List<Long> sortedDirect = new ArrayList<>(straight);
		Collections.sort(sortedDirect);
		return new Result(mode, events, senders, acknowledged.size(), acknowledged.size() / seconds,
				percentile(sorted, 50), percentile(sorted, 99), percentile(sortedDirect, 50), standIn.requestCount(),
				standIn.rateLimitedCount(), meanBatchSize(standIn),
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

	/**
	 * The connector's request for one event, sent straight to the stand-in: the round
	 * trip the connector adds to.
	 * @return nanoseconds to the answer
	 */
	/**
	 * The p50 of {@code requests} batch upserts of one input sent one after another
	 * straight to a stand-in: HubSpot's round trip without the connector.
	 */
	static double straightP50Millis(HubSpotStandIn direct, int requests) {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String run = "straight-" + Long.toString(System.currentTimeMillis(), 36);
		List<Long> straight = new ArrayList<>();
		for (int n = 0; n < requests; n++) {
			straight.add(straightToHubSpot(http, direct, run, n));
		}
		Collections.sort(straight);
		return percentile(straight, 50);
	}

	private static long straightToHubSpot(HttpClient http, HubSpotStandIn standIn, String run, int n) {
		String email = "direct-" + SimEvents.email(run, n);
		String body = "{\"inputs\":[{\"idProperty\":\"email\",\"id\":\"" + email + "\",\"objectWriteTraceId\":\"direct-"
				+ n + "\",\"properties\":{\"email\":\"" + email + "\",\"firstname\":\"Direct\"}}]}";
		HttpRequest request = HttpRequest.newBuilder(URI.create(standIn.contactsUrl() + "/batch/upsert"))
			.header("Authorization", "Bearer " + standIn.accessToken())
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		long sent = System.nanoTime();
		try {
			HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() / 100 != 2) {
				throw new IllegalStateException("The stand-in answered " + response.statusCode());
			}
			return System.nanoTime() - sent;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static double meanBatchSize(HubSpotStandIn standIn) {
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

	record Result(String mode, int events, int senders, int acknowledged, double eventsPerSecond, double p50Millis,
			double p99Millis, double directP50Millis, int hubSpotRequests, int hubSpot429s, double meanBatchSize,
			int maxRequestsIn10s, int redeliveries, int refused, long acknowledgedMissing, long maxHeapMb,
			double seconds) {

		String header() {
			return "| mode | N | C | acknowledged events/s | p50 202 (ms) | p99 202 (ms) | HubSpot requests | HubSpot 429s"
					+ " | mean batch size | most requests in any 10 s | redeliveries | refused | acknowledged missing"
					+ " | max heap used (MB) | run (s) |";
		}

		String row() {
			return String.format(Locale.ROOT,
					"| %s | %d | %d | %.1f | %.1f | %.1f | %d | %d | %.1f | %d | %d | %d | %d | %d | %.1f |", this.mode,
					this.events, this.senders, this.eventsPerSecond, this.p50Millis, this.p99Millis,
					this.hubSpotRequests, this.hubSpot429s, this.meanBatchSize, this.maxRequestsIn10s,
					this.redeliveries, this.refused, this.acknowledgedMissing, this.maxHeapMb, this.seconds);
		}

		String roundTrips() {
			return String.format(Locale.ROOT,
					"one sender: p50 through the connector %.1f ms, straight to the stand-in %.1f ms: the connector adds %.1f ms",
					this.p50Millis, this.directP50Millis, this.p50Millis - this.directP50Millis);
		}

	}

	/**
	 * A process's CPU time so far, from {@code /proc/<pid>/stat}, and the part of it
	 * spent by the JIT's compiler threads.
	 */
	public record ProcessCpu(long nanos, long ticks, long compilerTicks) {

		/** Linux reports CPU times in USER_HZ ticks, 100 per second. */
		private static final double MILLIS_PER_TICK = 10.0;

		public static ProcessCpu of(long pid) throws IOException {
			long compiler = 0;
			try (Stream<Path> threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
				for (Path thread : threads.toList()) {
					try {
						String stat = Files.readString(thread.resolve("stat"));
						if (stat.contains("(C1 CompilerThre") || stat.contains("(C2 CompilerThre")) {
							compiler += ticks(stat);
						}
					}
					catch (IOException ex) {
						// The thread ended meanwhile.
					}
				}
			}
			return new ProcessCpu(System.nanoTime(), ticks(Files.readString(Path.of("/proc/" + pid + "/stat"))),
					compiler);
		}

		/** utime plus stime: the 14th and 15th fields, counted after the name in (). */
		private static long ticks(String stat) {
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}

		public String since(ProcessCpu start, int events) {
			double total = (this.ticks - start.ticks) * MILLIS_PER_TICK;
			double compiler = (this.compilerTicks - start.compilerTicks) * MILLIS_PER_TICK;
			double wall = (this.nanos - start.nanos) / 1e6;
			return String.format(Locale.ROOT,
					"connector CPU: %.0f ms over %.0f ms = %.2f cores; %.3f ms per acknowledged event,"
							+ " of which the JIT compiler %.3f ms and the rest %.3f ms",
					total, wall, total / wall, total / events, compiler / events, (total - compiler) / events);
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
