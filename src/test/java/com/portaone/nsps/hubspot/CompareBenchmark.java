package com.portaone.nsps.hubspot;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run of the comparison benchmark against one build of the connector, started as
 * operators start it (a jar, optionally extracted with a CDS archive): the time until
 * {@code /health} answers, then a bulk import at 300 senders (1,000 events to warm up, a
 * cold measure of 20,000, 9,000 more, a warm measure of 20,000 after 30,000, as issue 13
 * measures warm: a measure half as long weighs its first and last request twice as much
 * against the budget), against a HubSpot stand-in at 150 ms ±20% and 100 requests per
 * rolling 10 s. Or, with {@code one}, the first 300 events after the start from one
 * sender, each followed by the same request straight to a second stand-in (with the node
 * sender: its 300 events, then 100 requests straight to the second stand-in). Or, with
 * {@code unchanged}, after 5,000 events that wrote their subscribers, rounds of 4,000
 * events alternately of a type the connector does not handle (the ceiling: HubSpot
 * untouched) and SIM/Updated events that carry what HubSpot holds already (node sender).
 * {@code scripts/benchmark-compare.sh} alternates two builds.
 * <p>
 * An optional seventh argument adds environment variables ({@code K=V K=V}); the value
 * {@code sink} for {@code OTEL_EXPORTER_OTLP_ENDPOINT} is an OTLP/HTTP receiver in this
 * process that accepts every export and counts its bytes.
 * <p>
 * Senders: {@code java} (the JDK client, one thread per sender, a JSON template) or
 * {@code node} ({@code scripts/nsps-sender.mjs}: keep-alive connections, no trace
 * headers, each event's JSON built as it is sent). CPU per event is the connector
 * process's user and system time from {@code /proc} over the measured events. <pre>
 * java ... CompareBenchmark LABEL JAR DIRECTORY "JVM OPTIONS" java|node load|one|unchanged ["K=V ..."]
 * </pre>
 */
public final class CompareBenchmark {

	private static final String API_TOKEN = "benchmark-api-token";

	private static final Duration HUBSPOT_WINDOW = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private CompareBenchmark() {
	}

	/** An OTLP/HTTP receiver that accepts every export of spans. */
	private static final class OtlpSink implements AutoCloseable {

		private final HttpServer server;

		private final AtomicLong exports = new AtomicLong();

		private final AtomicLong bytes = new AtomicLong();

		private OtlpSink(HttpServer server) {
			this.server = server;
		}

		static OtlpSink start() throws IOException {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			OtlpSink sink = new OtlpSink(server);
			server.createContext("/v1/traces", (exchange) -> {
				sink.bytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
				sink.exports.incrementAndGet();
				exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
				exchange.sendResponseHeaders(200, -1);
				exchange.close();
			});
			server.setExecutor(Executors.newFixedThreadPool(2));
			server.start();
			return sink;
		}

		String url() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort();
		}

		long exports() {
			return this.exports.get();
		}

		long bytes() {
			return this.bytes.get();
		}

		@Override
		public void close() {
			this.server.stop(0);
		}

	}

	public static void main(String[] args) throws Exception {
		String label = args[0];
		ConnectorProcess.Launch launch = new ConnectorProcess.Launch(Path.of(args[1]).toAbsolutePath(),
				args[3].isBlank() ? List.of() : List.of(args[3].strip().split("\\s+")), Path.of(args[2]));
		String sender = args[4];
		String phase = args[5];
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0);
				HubSpotStandIn direct = HubSpotStandIn.start(0);
				OtlpSink sink = OtlpSink.start()) {
			boolean one = phase.equals("one");
			standIn.setLatency(Duration.ofMillis(150), one ? 0 : 0.2);
			direct.setLatency(Duration.ofMillis(150), 0);
			Map<String, String> environment = new HashMap<>(Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN",
					standIn.accessToken(), "EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "LOG_LEVEL", "WARN"));
			if (args.length > 6 && !args[6].isBlank()) {
				for (String setting : args[6].strip().split("\\s+")) {
					String[] pair = setting.split("=", 2);
					environment.put(pair[0], pair[1].equals("sink") ? sink.url() : pair[1]);
				}
			}
			Path log = Files.createDirectories(Path.of("target")).resolve("compare-" + label + ".log");
			try (ConnectorProcess connector = ConnectorProcess.start(launch, environment, log)) {
				System.out.printf(Locale.ROOT, "COMPARE | %s | %s | ready after %d ms%n", label, sender,
						connector.readyAfter().toMillis());
				if (one) {
					double p50;
					double straight;
					if (sender.equals("node")) {
						JsonNode result = node(connector, Long.toString(System.nanoTime(), 36), 0, 300, 1,
								"SIM/Created", 0);
						p50 = result.path("p50").asDouble();
						straight = SyncBenchmark.straightP50Millis(direct, 100);
					}
					else {
						SyncBenchmark.Result result = SyncBenchmark.run(connector, standIn, direct, "batch", 300, 1);
						p50 = result.p50Millis();
						straight = result.directP50Millis();
					}
					System.out.printf(Locale.ROOT,
							"COMPARE | %s | %s | one sender, first 300 events | p50 %.1f ms | straight %.1f ms | adds %.1f ms%n",
							label, sender, p50, straight, p50 - straight);
					return;
				}
				if (phase.equals("unchanged")) {
					unchanged(label, connector, standIn);
					return;
				}
				load(label, sender, connector, standIn, direct, "warm-up", 1_000, false);
				pauseForWindow(standIn);
				load(label, sender, connector, standIn, direct, "cold (1k-21k)", 20_000, true);
				pauseForWindow(standIn);
				load(label, sender, connector, standIn, direct, "between", 9_000, false);
				pauseForWindow(standIn);
				load(label, sender, connector, standIn, direct, "warm (30k-50k)", 20_000, true);
				if (sink.exports() > 0) {
					System.out.printf(Locale.ROOT, "COMPARE | %s | %s | OTLP exports %d, %d KiB%n", label, sender,
							sink.exports(), sink.bytes() / 1024);
				}
			}
		}
		System.exit(0);
	}

	private static void load(String label, String sender, ConnectorProcess connector, HubSpotStandIn standIn,
			HubSpotStandIn direct, String phase, int events, boolean measured) throws Exception {
		SyncBenchmark.ProcessCpu before = SyncBenchmark.ProcessCpu.of(connector.pid());
		double eventsPerSecond;
		double p99;
		int acknowledged;
		if (sender.equals("node")) {
			JsonNode result = node(connector, Long.toString(System.nanoTime(), 36), 0, events, "SIM/Created", 0);
			acknowledged = result.path("acknowledged").asInt();
			eventsPerSecond = acknowledged / result.path("seconds").asDouble();
			p99 = result.path("p99").asDouble();
		}
		else {
			SyncBenchmark.Result result = SyncBenchmark.run(connector, standIn, direct, "batch", events, 300);
			acknowledged = result.acknowledged();
			eventsPerSecond = result.eventsPerSecond();
			p99 = result.p99Millis();
		}
		SyncBenchmark.ProcessCpu after = SyncBenchmark.ProcessCpu.of(connector.pid());
		if (measured) {
			System.out.printf(Locale.ROOT,
					"COMPARE | %s | %s | %s | %d acknowledged | %.1f events/s | p99 %.0f ms | mean batch %.1f |"
							+ " busiest 10 s %d | HubSpot 429s %d | %s%n",
					label, sender, phase, acknowledged, eventsPerSecond, p99, SyncBenchmark.meanBatchSize(standIn),
					standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10)), standIn.rateLimitedCount(),
					after.since(before, acknowledged));
		}
	}

	/**
	 * After 5,000 events that wrote their subscribers: three rounds of 4,000 events, each
	 * first of a type the connector does not handle, then SIM/Updated with the values
	 * HubSpot holds.
	 */
	private static void unchanged(String label, ConnectorProcess connector, HubSpotStandIn standIn) throws Exception {
		String run = Long.toString(System.nanoTime(), 36);
		node(connector, "warm-" + run, 0, 1_000, "SIM/Created", 0);
		node(connector, run, 0, 4_000, "SIM/Created", 0);
		pauseForWindow(standIn);
		for (int round = 1; round <= 3; round++) {
			for (String type : List.of("Account/Updated", "SIM/Updated")) {
				SyncBenchmark.ProcessCpu before = SyncBenchmark.ProcessCpu.of(connector.pid());
				JsonNode result = node(connector, run, 0, 4_000, type, round);
				SyncBenchmark.ProcessCpu after = SyncBenchmark.ProcessCpu.of(connector.pid());
				int acknowledged = result.path("acknowledged").asInt();
				System.out.printf(Locale.ROOT,
						"COMPARE | %s | node | round %d | %s | %d answered | %.1f events/s | p99 %.0f ms |"
								+ " HubSpot requests %d | %s%n",
						label, round, type.equals("SIM/Updated") ? "unchanged SIM/Updated" : "unsupported type",
						acknowledged, acknowledged / result.path("seconds").asDouble(), result.path("p99").asDouble(),
						standIn.requestCount(), after.since(before, acknowledged));
				standIn.reset();
			}
		}
	}

	private static JsonNode node(ConnectorProcess connector, String run, int first, int events, String type, int minute)
			throws Exception {
		return node(connector, run, first, events, 300, type, minute);
	}

	private static JsonNode node(ConnectorProcess connector, String run, int first, int events, int senders,
			String type, int minute) throws Exception {
		Process node = ConnectorProcess.endsWithThisJvm(
				new ProcessBuilder("node", "scripts/nsps-sender.mjs", connector.uri("/process-event").toString(),
						API_TOKEN, run, Integer.toString(first), Integer.toString(events), Integer.toString(senders),
						type, Integer.toString(minute))
					.redirectErrorStream(true)
					.start());
		String output = new String(node.getInputStream().readAllBytes()).strip();
		node.waitFor();
		return JSON.readTree(output.substring(output.lastIndexOf('{')));
	}

	private static void pauseForWindow(HubSpotStandIn standIn) throws InterruptedException {
		Thread.sleep(HUBSPOT_WINDOW.toMillis());
		standIn.reset();
	}

}
