package com.portaone.nsps.hubspot;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many connections at once, each with a large event (a real event padded with a field the
 * connector ignores), against the packaged jar under {@code -Xmx256m}: past
 * {@code MAX_EVENTS_IN_FLIGHT} events are answered 429 without their body being read, the
 * heap stays bounded, and {@code /health} keeps answering. 1,000 connections of 1 MB in
 * the build; the full measurement:
 *
 * <pre>
 * ./mvnw verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ConnectionFloodIT -Dflood.connections=5000
 * </pre>
 */
class ConnectionFloodIT {

	private static final String API_TOKEN = "flood-api-token";

	private static final int CONNECTIONS = Integer.getInteger("flood.connections", 1000);

	/** The connector's default {@code MAX_CONNECTIONS}. */
	private static final int MAX_CONNECTIONS = 1500;

	private static final int BODY_BYTES = Integer.getInteger("flood.body.kib", 1024) * 1024;

	@Test
	void manyLargeEventsAtOnceKeepTheHeapBoundedAndHealthAnswering() throws Exception {
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			standIn.setLatency(Duration.ofMillis(150), 0.2);
			// Probes on a port of their own, as the Kubernetes manifests run them.
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "LOG_LEVEL", "WARN", "MANAGEMENT_PORT",
					Integer.toString(ConnectorProcess.freePort()));
			Path log = Files.createDirectories(Path.of("target")).resolve("flood-connector.log");
			try (ConnectorProcess connector = ConnectorProcess.start(environment, log)) {
				HttpClient http = HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.executor(Executors.newFixedThreadPool(8))
					.connectTimeout(Duration.ofSeconds(30))
					.build();
				byte[] padding = "x".repeat(BODY_BYTES).getBytes(StandardCharsets.US_ASCII);
				AtomicLong maxHeap = new AtomicLong();
				AtomicLong maxLive = new AtomicLong();
				Probes apiHealth = new Probes();
				Probes liveness = new Probes();
				ScheduledExecutorService watch = Executors.newScheduledThreadPool(3);
				watch.scheduleWithFixedDelay(() -> {
					maxHeap.accumulateAndGet(heapUsed(http, connector, "jvm.memory.used?tag=area:heap"), Math::max);
					maxLive.accumulateAndGet(heapUsed(http, connector, "jvm.gc.live.data.size"), Math::max);
				}, 0, 200, TimeUnit.MILLISECONDS);
				watch.scheduleWithFixedDelay(() -> apiHealth.probe(http, connector.uri("/health")), 0, 250,
						TimeUnit.MILLISECONDS);
				watch.scheduleWithFixedDelay(() -> liveness.probe(http, connector.uri("/actuator/health/liveness")), 0,
						250, TimeUnit.MILLISECONDS);
				long start = System.nanoTime();
				List<CompletableFuture<HttpResponse<Void>>> answers = new ArrayList<>();
				for (int i = 0; i < CONNECTIONS; i++) {
					answers.add(http.sendAsync(event(connector, i, padding), HttpResponse.BodyHandlers.discarding()));
				}
				Map<String, Integer> statuses = new TreeMap<>();
				for (CompletableFuture<HttpResponse<Void>> answer : answers) {
					String status;
					try {
						status = Integer.toString(answer.get(5, TimeUnit.MINUTES).statusCode());
					}
					catch (Exception ex) {
						status = ex.getCause() != null ? ex.getCause().getClass().getSimpleName()
								: ex.getClass().getSimpleName();
					}
					statuses.merge(status, 1, Integer::sum);
				}
				double seconds = (System.nanoTime() - start) / 1e9;
				watch.shutdownNow();
				watch.awaitTermination(10, TimeUnit.SECONDS);
				System.out.printf(Locale.ROOT,
						"FLOOD | connections %d of %d KiB | answers %s | max heap used %d MB, live after GC %d MB (-Xmx256m) |"
								+ " /health on the API port %s | liveness on the management port %s | run %.1f s%n",
						CONNECTIONS, BODY_BYTES / 1024, statuses, maxHeap.get() / (1024 * 1024),
						maxLive.get() / (1024 * 1024), apiHealth, liveness, seconds);
				assertThat(connector.isAlive()).as("connector alive").isTrue();
				assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
				assertThat(liveness.statuses.keySet()).as("liveness answers").containsOnly(200);
				if (CONNECTIONS <= MAX_CONNECTIONS) {
					assertThat(statuses.keySet()).as("answers").isSubsetOf("202", "429");
					assertThat(apiHealth.statuses.keySet()).as("/health answers").containsOnly(200);
				}
				else {
					// Past MAX_CONNECTIONS and the backlog, connections wait to be
					// accepted.
					assertThat(statuses.keySet()).as("answers").isSubsetOf("202", "429", "HttpConnectTimeoutException");
				}
				assertThat(maxHeap.get()).isPositive().isLessThan(256L * 1024 * 1024);
			}
		}

	}

	private static HttpRequest event(ConnectorProcess connector, int n, byte[] padding) {
		String event = SimEvents.created("flood", n);
		int cut = event.lastIndexOf('}');
		String head = event.substring(0, cut) + ",\"padding\":\"";
		String tail = "\"}";
		return HttpRequest.newBuilder(connector.uri("/process-event"))
			.header("Authorization", "Bearer " + API_TOKEN)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofMinutes(5))
			.POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head),
					HttpRequest.BodyPublishers.ofByteArray(padding), HttpRequest.BodyPublishers.ofString(tail)))
			.build();
	}

	/** Answers of one probe, every 250 ms, and how long they took. */
	private static final class Probes {

		private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());

		private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();

		void probe(HttpClient http, java.net.URI uri) {
			long start = System.nanoTime();
			int status = status(http, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build());
			this.millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
			this.statuses.merge(status, 1, Integer::sum);
		}

		@Override
		public String toString() {
			List<Long> sorted = new ArrayList<>(this.millis);
			Collections.sort(sorted);
			if (sorted.isEmpty()) {
				return "no probes";
			}
			return this.statuses + " p50 " + sorted.get(sorted.size() / 2) + " ms, max " + sorted.get(sorted.size() - 1)
					+ " ms over " + sorted.size() + " probes";
		}

	}

	private static long heapUsed(HttpClient http, ConnectorProcess connector, String metric) {
		try {
			return (long) connector.metric(http, metric);
		}
		catch (Exception ex) {
			return 0;
		}
	}

	private static int status(HttpClient http, HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (Exception ex) {
			return -1;
		}
	}

}
