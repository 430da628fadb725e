package com.portaone.nsps.hubspot.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.portaone.nsps.hubspot.SimEvents;
import com.portaone.nsps.hubspot.standin.Fault;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard in {@code deploy/grafana} only queries series the connector
 * really exposes, and the actuator shows operators the probes and nothing more.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DashboardMetricsTest {

	private static final Path DASHBOARD = Path.of("deploy/grafana/hubspot-connector-dashboard.json");

	private static final String API_TOKEN = "test-api-token";

	private static final JsonMapper json = JsonMapper.builder().build();

	/** PromQL words that can stand where a metric name stands. */
	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
			"bool", "and", "or", "unless", "offset", "le", "inf", "nan");

	// Quoted strings, label matchers, ranges and grouping clauses hold label names and
	// values, never metric names; they are blanked before identifiers are read.
	private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");

	private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");

	private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	// An identifier that is not part of a number or a variable and is not called as a
	// function.
	private static final Pattern IDENTIFIER = Pattern
		.compile("(?<![\\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\\w:])(?!\\s*\\()");

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	// /actuator may listen on a port of its own (MANAGEMENT_PORT); this is the server
	// port otherwise.
	@LocalManagementPort
	private int managementPort;

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@Test
	void everyMetricOnTheDashboardIsInTheScrape() throws Exception {
		driveEveryKindOfTraffic();
		Set<String> scraped = seriesNames(get("/actuator/prometheus").body());
		List<String> expressions = dashboardExpressions();

		assertThat(expressions).hasSizeGreaterThan(10);
		assertThat(expressions.stream().flatMap((expr) -> metricNames(expr).stream())).contains("nsps_events_total",
				"nsps_event_sync_seconds_bucket", "hubspot_requests_seconds_count", "hubspot_budget_refusals_total",
				"resilience4j_ratelimiter_available_permissions");
		// The lookup fails for a name the service does not expose, or one that is only
		// close to a real one.
		assertThat(missingFromScrape(
				List.of("sum(rate(nsps_made_up_events_total[5m]))", "rate(nsps_events[5m])",
						"histogram_quantile(0.99, sum by (le) (rate(hubspot_batch_size_seconds_bucket[5m])))"),
				scraped))
			.containsExactly("nsps_made_up_events_total", "nsps_events", "hubspot_batch_size_seconds_bucket");
		assertThat(missingFromScrape(expressions, scraped)).as("dashboard metrics missing from /actuator/prometheus")
			.isEmpty();
	}

	@Test
	void metricNamesAreReadFromPromQlWithoutFunctionsLabelsOrKeywords() {
		assertThat(metricNames("histogram_quantile(0.99, sum by (le, operation) "
				+ "(rate(hubspot_requests_seconds_bucket{job=~\"$job\", status!=\"2xx\"}[$__rate_interval])))"))
			.containsExactly("hubspot_requests_seconds_bucket");
		assertThat(metricNames("sum(rate(a_total{x=\"y(z)\"}[1m])) by (instance) * 10 / on (instance) group_left "
				+ "max by (instance) (b_bytes offset 5m) > bool 1e3 and c_count"))
			.containsExactly("a_total", "b_bytes", "c_count");
		assertThat(metricNames("jvm_threads_live_threads")).containsExactly("jvm_threads_live_threads");
	}

	@Test
	void probesAnswerAndOnlyHealthInfoMetricsAndPrometheusAreExposed() throws Exception {
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(json.readTree(readiness.body()).get("status").asString()).isEqualTo("UP");
		HttpResponse<String> liveness = get("/actuator/health/liveness");
		assertThat(liveness.statusCode()).isEqualTo(200);
		assertThat(json.readTree(liveness.body()).get("status").asString()).isEqualTo("UP");
		assertThat(get("/health").statusCode()).isEqualTo(200);
		// Only the probes are public on the API port.
		assertThat(getWithoutToken("/health").statusCode()).isEqualTo(200);
		assertThat(getWithoutToken("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(getWithoutToken("/actuator/health/liveness").statusCode()).isEqualTo(200);
		assertThat(getWithoutToken("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(getWithoutToken("/actuator/prometheus").statusCode()).isEqualTo(401);
		assertThat(getWithoutToken("/actuator/metrics").statusCode()).isEqualTo(401);
		assertThat(getWithoutToken("/actuator").statusCode()).isEqualTo(401);
		assertThat(getWithoutToken("/actuator/env").statusCode()).isEqualTo(401);

		assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
		assertThat(get("/actuator/beans").statusCode()).isEqualTo(404);
		JsonNode links = json.readTree(get("/actuator").body()).get("_links");
		Set<String> endpoints = links.propertyNames()
			.stream()
			.map((name) -> name.split("[-.]", 2)[0])
			.collect(Collectors.toSet());
		assertThat(endpoints).containsExactlyInAnyOrder("self", "health", "info", "metrics", "prometheus");
	}

	/** Contact writes only: the start-up property check may still be asking HubSpot. */
	private static long contactWrites() {
		return standIn.requests()
			.stream()
			.filter((request) -> request.path().startsWith("/crm/v3/objects/contacts"))
			.filter((request) -> !request.method().equals("GET"))
			.count();
	}

	/**
	 * Every outcome the dashboard shows at least once, so that even the series created on
	 * first use are in the scrape.
	 */
	private void driveEveryKindOfTraffic() throws Exception {
		// The start-up property check must be done before faults are injected.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> get("/actuator/health/readiness").body().contains("\"contactProperties\":\"PRESENT\""));
		String run = "dash-" + UUID.randomUUID().toString().substring(0, 8);
		// Sent together so that batch mode coalesces some of them.
		List<CompletableFuture<HttpResponse<String>>> created = IntStream.rangeClosed(1, 5)
			.mapToObj((n) -> postAsync(SimEvents.created(run, n)))
			.toList();
		for (CompletableFuture<HttpResponse<String>> answer : created) {
			assertThat(answer.get().statusCode()).isEqualTo(202);
		}
		long writes = contactWrites();

		assertThat(post(SimEvents.created(run, 1)).statusCode()).as("redelivery").isEqualTo(202);
		String older = SimEvents.created(run, 2)
			.replace("\"event_id\":\"" + run + "-2\"", "\"event_id\":\"" + run + "-2-older\"")
			.replace("2025-05-01 12:00:00", "2025-04-30 12:00:00");
		assertThat(post(older).statusCode()).as("stale event").isEqualTo(202);
		assertThat(contactWrites()).as("redelivered and stale events write nothing").isEqualTo(writes);

		assertThat(post("{\"event_id\":\"" + run + "-invalid\"}").statusCode()).as("invalid event").isEqualTo(422);
		assertThat(post(SimEvents.created(run, 6).replace("SIM/Created", "SIM/Deleted")).statusCode())
			.as("unsupported event")
			.isEqualTo(200);

		standIn.injectFaults(Fault.UNAVAILABLE_503, 1);
		assertThat(post(SimEvents.created(run, 7)).statusCode()).as("synced after one retry").isEqualTo(202);
		assertThat(contactWrites()).isEqualTo(writes + 2);

		// Last: after HubSpot's daily limit the budget refuses every permit for the
		// cool-down, which is what creates the refusal counter.
		standIn.injectFaults(Fault.DAILY_429, 1);
		assertThat(post(SimEvents.created(run, 8)).statusCode()).as("HubSpot's daily limit").isEqualTo(429);
		assertThat(post(SimEvents.created(run, 9)).statusCode()).as("refused during the cool-down").isEqualTo(429);
	}

	private static List<String> dashboardExpressions() throws IOException {
		JsonNode dashboard = json.readTree(Files.readString(DASHBOARD));
		List<String> expressions = new ArrayList<>();
		dashboard.findValues("expr").forEach((expr) -> expressions.add(expr.asString()));
		// The template variables' queries name a metric too.
		dashboard.path("templating")
			.path("list")
			.forEach((variable) -> variable.findValues("query")
				.stream()
				.filter(JsonNode::isString)
				.map(JsonNode::asString)
				.filter((query) -> query.startsWith("label_values("))
				.map((query) -> query.substring("label_values(".length(), query.lastIndexOf(',')))
				.forEach(expressions::add));
		return expressions;
	}

	/** Metric names in the expressions that no series in the scrape carries. */
	static List<String> missingFromScrape(Collection<String> expressions, Set<String> scraped) {
		return expressions.stream()
			.flatMap((expr) -> metricNames(expr).stream())
			.distinct()
			.filter((name) -> !scraped.contains(name))
			.toList();
	}

	static Set<String> metricNames(String expr) {
		String stripped = STRING.matcher(expr).replaceAll("\"\"");
		stripped = LABEL_MATCHERS.matcher(stripped).replaceAll("{}");
		stripped = RANGE.matcher(stripped).replaceAll("[]");
		stripped = GROUPING.matcher(stripped).replaceAll(" ");
		Set<String> names = new LinkedHashSet<>();
		Matcher identifier = IDENTIFIER.matcher(stripped);
		while (identifier.find()) {
			String name = identifier.group(1);
			if (!KEYWORDS.contains(name.toLowerCase())) {
				names.add(name);
			}
		}
		return names;
	}

	/** Series names of a Prometheus text exposition, labels and values cut off. */
	static Set<String> seriesNames(String scrape) {
		return scrape.lines()
			.filter((line) -> !line.isBlank() && !line.startsWith("#"))
			.map((line) -> line.split("[{ ]", 2)[0])
			.collect(Collectors.toSet());
	}

	/** A GET with NSPS's token, which everything but the probes needs on the API port. */
	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri(path))
			.header("Authorization", "Bearer " + API_TOKEN)
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> getWithoutToken(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String event) throws Exception {
		return postAsync(event).get();
	}

	private CompletableFuture<HttpResponse<String>> postAsync(String event) {
		HttpRequest request = HttpRequest.newBuilder(uri("/process-event"))
			.header("Authorization", "Bearer " + API_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(event))
			.timeout(Duration.ofSeconds(60))
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		int port = path.startsWith("/actuator") ? this.managementPort : this.port;
		return URI.create("http://127.0.0.1:" + port + path);
	}

}
