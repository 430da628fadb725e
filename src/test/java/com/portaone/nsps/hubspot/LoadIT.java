package com.portaone.nsps.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.portaone.nsps.hubspot.standin.Fault;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load with HubSpot misbehaving: N distinct events ({@code -Dload.events}, 5000 by
 * default; 50000 for the full run) from 300 NSPS-like senders against the packaged jar in
 * batch mode and a stand-in with 150 ms ±20% latency and 5% faults (503, 502, 429
 * ten-secondly, connection reset, hang past the connector's HTTP timeout). Every event
 * ends acknowledged and in HubSpot with its data, NSPS sees no 5xx but 503, the heap
 * stays within -Xmx256m and the threads return to their idle level.
 *
 * <pre>
 * ./mvnw verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=LoadIT -Dload.events=50000
 * </pre>
 */
class LoadIT {

	private static final String API_TOKEN = "load-api-token";

	private static final int EVENTS = Integer.getInteger("load.events", 5000);

	private static final int SENDERS = 300;

	private static final int MAX_ATTEMPTS = 60;

	/** Short, so that a hung HubSpot request costs seconds, not the default 10 s. */
	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration EVENT_DEADLINE = Duration.ofSeconds(10);

	private static final long HEAP_LIMIT_BYTES = 256L * 1024 * 1024;

	private static final int THREAD_SLACK = 10;

	private static final Duration THREAD_SETTLE = Duration.ofSeconds(60);

	/** 5% of HubSpot requests in all; hangs, the slowest, at 0.75%. */
	private static final Map<Fault, Double> FAULT_RATES = Map.of(Fault.UNAVAILABLE_503, 0.0125, Fault.BAD_GATEWAY_502,
			0.01, Fault.TEN_SECONDLY_429, 0.01, Fault.RESET, 0.01, Fault.HANG, 0.0075);

	/**
	 * One of each is also queued during the run, so that every kind is hit even when a
	 * few dozen batch requests draw none at random.
	 */
	private static final List<Fault> FAULTS_ONCE = List.of(Fault.UNAVAILABLE_503, Fault.BAD_GATEWAY_502,
			Fault.TEN_SECONDLY_429, Fault.RESET, Fault.HANG);

	private static final Pattern REQUEST_COUNT = Pattern
		.compile("^hubspot_requests_seconds_count\\{(.*)\\} ([0-9.E+]+)$");

	private static final Pattern OPERATION = Pattern.compile("operation=\"([^\"]*)\"");

	private static final Pattern STATUS = Pattern.compile("status=\"([^\"]*)\"");

	private static final Pattern THREAD_NAME = Pattern.compile("(?m)^\"([^\"]*)\" ");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void everyEventIsSyncedUnderLoadAndFaultsWithBoundedHeapAndThreads() throws Exception {
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			standIn.setLatency(Duration.ofMillis(150), 0.2);
			// Just past the connector's timeout: the connector gives up on the request.
			standIn.setHangDuration(HTTP_TIMEOUT.plusMillis(500));
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "HUBSPOT_WRITE_MODE", "batch", "LOG_LEVEL", "WARN",
					"HTTP_TIMEOUT_SECONDS", Long.toString(HTTP_TIMEOUT.toSeconds()), "EVENT_DEADLINE_SECONDS",
					Long.toString(EVENT_DEADLINE.toSeconds()),
					// A hung write lands 0.5 s after the connector gave up: within the
					// margin.
					"HUBSPOT_IN_DOUBT_MARGIN_SECONDS", "1");
			Path log = Files.createDirectories(Path.of("target")).resolve("load-connector.log");
			try (ConnectorProcess connector = ConnectorProcess.start(environment, log)) {
				// The property check at start-up must not draw the faults.
				awaitReady(connector);
				int idleThreads = (int) metric(connector, "jvm.threads.live");
				Map<String, Integer> idleThreadNames = threadNames(connector);
				FAULT_RATES.forEach(standIn::setFaultRate);
				String run = "load" + Long.toString(System.currentTimeMillis(), 36);
				List<Integer> events = IntStream.range(0, EVENTS).boxed().toList();
				NspsSenders senders = new NspsSenders(API_TOKEN, MAX_ATTEMPTS, Duration.ofSeconds(30));
				AtomicLong maxHeap = new AtomicLong();
				AtomicInteger peakThreads = new AtomicInteger(idleThreads);
				AtomicInteger faultsQueued = new AtomicInteger();
				ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
				watch.scheduleWithFixedDelay(() -> {
					try {
						maxHeap.accumulateAndGet((long) metric(connector, "jvm.memory.used?tag=area:heap"), Math::max);
						peakThreads.accumulateAndGet((int) metric(connector, "jvm.threads.live"), Math::max);
						int due = senders.acknowledgedCount() * (FAULTS_ONCE.size() + 1) / EVENTS;
						while (faultsQueued.get() < Math.min(due, FAULTS_ONCE.size())) {
							standIn.injectFaults(FAULTS_ONCE.get(faultsQueued.getAndIncrement()), 1);
						}
					}
					catch (Exception ex) {
						// A missed sample only lowers the resolution.
					}
				}, 0, 250, TimeUnit.MILLISECONDS);
				long start = System.nanoTime();
				boolean finished;
				try {
					finished = senders.deliver(connector, run, events, SENDERS,
							Duration.ofSeconds(60).plusMillis(4L * EVENTS));
				}
				finally {
					watch.shutdownNow();
					watch.awaitTermination(5, TimeUnit.SECONDS);
				}
				double seconds = (System.nanoTime() - start) / 1e9;
				// At once: a 202 means HubSpot holds the contact already, not soon.
				List<String> wrong = NspsSenders.wrongContacts(standIn, run, senders.acknowledged());
				FAULT_RATES.keySet().forEach((fault) -> standIn.setFaultRate(fault, 0));
				List<String> threadTimeline = new ArrayList<>();
				int afterThreads = awaitThreadsSettled(connector, idleThreads + THREAD_SLACK, threadTimeline);
				Map<String, Integer> hubSpotAnswers = hubSpotAnswers(connector);
				int faults = hubSpotAnswers.entrySet()
					.stream()
					.filter((answer) -> !answer.getKey().equals("2xx"))
					.mapToInt(Map.Entry::getValue)
					.sum();
				int busiestWindow = standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10));
				System.out.printf(Locale.ROOT,
						"load: events %d, acknowledged %d, given up %d, redeliveries %d, answers by status %s,"
								+ " NSPS timeouts %d, connection failures %d, slowest answer %d ms,"
								+ " faults injected %d (HubSpot answers seen %s), HubSpot requests %d,"
								+ " most in any 10 s %d, HubSpot rolling-limit 429s %d, wrong or missing contacts %d, max heap %d MB,"
								+ " threads idle/peak/after %d/%d/%d (after the load %s), run %.1f s%n",
						EVENTS, senders.acknowledgedCount(), senders.gaveUp().size(), senders.redeliveries(),
						senders.statuses(), senders.timeouts(), senders.connectionFailures(),
						senders.slowestAnswerMillis(), faults, hubSpotAnswers, standIn.requestCount(), busiestWindow,
						standIn.rateLimitedCount(), wrong.size(), maxHeap.get() / (1024 * 1024), idleThreads,
						peakThreads.get(), afterThreads, threadTimeline, seconds);

				assertThat(finished).as("senders finished within their bound").isTrue();
				assertThat(senders.gaveUp()).as("events given up after %d deliveries", MAX_ATTEMPTS).isEmpty();
				assertThat(senders.acknowledgedCount()).as("events acknowledged").isEqualTo(EVENTS);
				assertThat(wrong).as("acknowledged events missing or wrong in HubSpot").isEmpty();
				assertThat(senders.statuses().keySet()).as("answers to NSPS").isSubsetOf(202, 429, 503);
				// The connector answers within its deadline, far below NSPS's timeout.
				assertThat(senders.timeouts()).as("deliveries NSPS timed out").isZero();
				assertThat(faults).as("faults the connector met").isGreaterThanOrEqualTo(FAULTS_ONCE.size());
				assertThat(busiestWindow).as("HubSpot requests in any 10 s").isLessThanOrEqualTo(100);
				assertThat(standIn.rateLimitedCount()).as("HubSpot's rolling-limit 429s").isZero();
				assertThat(maxHeap.get()).as("heap used").isPositive().isLessThanOrEqualTo(HEAP_LIMIT_BYTES);
				assertThat(connector.isAlive()).as("connector alive").isTrue();
				assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
				assertThat(afterThreads)
					.as("live threads %d s after the load, idle %d; by name idle %s, after %s",
							THREAD_SETTLE.toSeconds(), idleThreads, idleThreadNames, threadNames(connector))
					.isLessThanOrEqualTo(idleThreads + THREAD_SLACK);
			}
		}
	}

	private void awaitReady(ConnectorProcess connector) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(connector.uri("/actuator/health/readiness"))
			.timeout(Duration.ofSeconds(5))
			.build();
		long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < end) {
			if (this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
				return;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("The connector did not become ready within 30 s");
	}

	/**
	 * Polls until the live threads are at most {@code limit}, for a bounded time; each
	 * sample goes to {@code timeline}.
	 */
	private int awaitThreadsSettled(ConnectorProcess connector, int limit, List<String> timeline) throws Exception {
		long start = System.nanoTime();
		long end = start + THREAD_SETTLE.toNanos();
		int live = (int) metric(connector, "jvm.threads.live");
		timeline.add("0s:" + live);
		while (live > limit && System.nanoTime() < end) {
			// Seldom: a request a second would keep every idle Tomcat thread in use.
			Thread.sleep(Math.min(5000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
			live = (int) metric(connector, "jvm.threads.live");
			timeline.add(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + "s:" + live);
		}
		return live;
	}

	/**
	 * The connector's threads by name, digits dropped, from {@code jcmd Thread.print}: to
	 * say which pool kept its threads.
	 */
	private static Map<String, Integer> threadNames(ConnectorProcess connector) throws Exception {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		Map<String, Integer> names = new TreeMap<>();
		if (!Files.isExecutable(jcmd)) {
			return names;
		}
		Process process = new ProcessBuilder(jcmd.toString(), Long.toString(connector.pid()), "Thread.print")
			.redirectErrorStream(true)
			.start();
		String dump = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly();
		}
		Matcher thread = THREAD_NAME.matcher(dump);
		while (thread.find()) {
			names.merge(thread.group(1).replaceAll("[0-9]+", "N"), 1, Integer::sum);
		}
		return names;
	}

	private double metric(ConnectorProcess connector, String nameAndTags) throws Exception {
		return connector.metric(this.http, nameAndTags);
	}

	/** Batch upserts the connector sent, by the status HubSpot answered. */
	private Map<String, Integer> hubSpotAnswers(ConnectorProcess connector) throws Exception {
		String body = this.http
			.send(connector.request("/actuator/prometheus").build(), HttpResponse.BodyHandlers.ofString())
			.body();
		Map<String, Integer> answers = new TreeMap<>();
		for (String line : body.split("\n")) {
			Matcher count = REQUEST_COUNT.matcher(line);
			if (!count.matches()) {
				continue;
			}
			Matcher operation = OPERATION.matcher(count.group(1));
			Matcher status = STATUS.matcher(count.group(1));
			if (operation.find() && operation.group(1).equals("batch_upsert") && status.find()) {
				answers.merge(status.group(1), (int) Double.parseDouble(count.group(2)), Integer::sum);
			}
		}
		return answers;
	}

}
