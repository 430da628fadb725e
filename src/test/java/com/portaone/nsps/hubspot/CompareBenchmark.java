package com.portaone.nsps.hubspot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One run of the comparison benchmark against one build of the connector, started as
 * operators start it (a jar, optionally extracted with a CDS archive): the time until
 * {@code /health} answers, then a bulk import at 300 senders (1,000 events to warm up, a
 * cold measure of 20,000, 9,000 more, a warm measure of 10,000 after 30,000), against a
 * HubSpot stand-in at 150 ms ±20% and 100 requests per rolling 10 s. Or, with
 * {@code one}, the first 300 events after the start from one sender, each followed by the
 * same request straight to a second stand-in. {@code scripts/benchmark-compare.sh}
 * alternates two builds.
 * <p>
 * Senders: {@code java} (the JDK client, one thread per sender, a JSON template) or
 * {@code node} ({@code scripts/nsps-sender.mjs}: keep-alive connections, no trace
 * headers, each event's JSON built as it is sent). CPU per event is the connector
 * process's user and system time from {@code /proc} over the measured events. <pre>
 * java ... CompareBenchmark LABEL JAR DIRECTORY "JVM OPTIONS" java|node load|one
 * </pre>
 */
public final class CompareBenchmark {

	private static final String API_TOKEN = "benchmark-api-token";

	private static final Duration HUBSPOT_WINDOW = Duration.ofSeconds(10);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private CompareBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		String label = args[0];
		ConnectorProcess.Launch launch = new ConnectorProcess.Launch(Path.of(args[1]).toAbsolutePath(),
				args[3].isBlank() ? List.of() : List.of(args[3].strip().split("\\s+")), Path.of(args[2]));
		String sender = args[4];
		String phase = args[5];
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0); HubSpotStandIn direct = HubSpotStandIn.start(0)) {
			boolean one = phase.equals("one");
			standIn.setLatency(Duration.ofMillis(150), one ? 0 : 0.2);
			direct.setLatency(Duration.ofMillis(150), 0);
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "LOG_LEVEL", "WARN");
			Path log = Files.createDirectories(Path.of("target")).resolve("compare-" + label + ".log");
			try (ConnectorProcess connector = ConnectorProcess.start(launch, environment, log)) {
				System.out.printf(Locale.ROOT, "COMPARE | %s | %s | ready after %d ms%n", label, sender,
						connector.readyAfter().toMillis());
				if (one) {
					SyncBenchmark.Result result = SyncBenchmark.run(connector, standIn, direct, "batch", 300, 1);
					System.out.printf(Locale.ROOT,
							"COMPARE | %s | %s | one sender, first 300 events | p50 %.1f ms | straight %.1f ms | adds %.1f ms%n",
							label, sender, result.p50Millis(), result.directP50Millis(),
							result.p50Millis() - result.directP50Millis());
					return;
				}
				load(label, sender, connector, standIn, direct, "warm-up", 1_000, false);
				pauseForWindow(standIn);
				load(label, sender, connector, standIn, direct, "cold (1k-21k)", 20_000, true);
				pauseForWindow(standIn);
				load(label, sender, connector, standIn, direct, "between", 9_000, false);
				pauseForWindow(standIn);
				load(label, sender, connector, standIn, direct, "warm (30k-40k)", 10_000, true);
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
			String run = Long.toString(System.nanoTime(), 36);
			Process node = new ProcessBuilder("node", "scripts/nsps-sender.mjs",
					connector.uri("/process-event").toString(), API_TOKEN, run, "0", Integer.toString(events), "300")
				.redirectErrorStream(true)
				.start();
			String output = new String(node.getInputStream().readAllBytes()).strip();
			node.waitFor();
			JsonNode result = JSON.readTree(output.substring(output.lastIndexOf('{')));
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

	private static void pauseForWindow(HubSpotStandIn standIn) throws InterruptedException {
		Thread.sleep(HUBSPOT_WINDOW.toMillis());
		standIn.reset();
	}

}
