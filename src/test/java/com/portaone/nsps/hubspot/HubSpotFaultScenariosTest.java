package com.portaone.nsps.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.standin.Fault;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one end-to-end path of HubSpot's faults: each way the stand-in can misbehave, over
 * HTTP through the whole connector (single mode takes the same path, a batch of one):
 * what NSPS is answered, and within which time; then NSPS's redeliveries once the fault
 * has cleared, after which no acknowledged event may be missing from HubSpot. What each
 * answer means is {@code HubSpotAnswersTest}'s table, what NSPS gets for it
 * {@code EventOutcomesTest}'s; this checks they are wired together.
 * <p>
 * Settings are shortened so that a scenario takes seconds: a 4 s event deadline, 1 s per
 * HTTP attempt, 50 ms first backoff, a 2 s daily-limit cool-down.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class HubSpotFaultScenariosTest {

	static final Duration DEADLINE = Duration.ofSeconds(4);

	/** Generous upper bound for any answer: the deadline plus scheduling slack. */
	static final Duration ANSWER_BOUND = DEADLINE.plusMillis(1500);

	static final Duration COOLDOWN = Duration.ofSeconds(2);

	/** The connector's default; every write makes at most 1 + this many attempts. */
	static final int MAX_RETRIES = 3;

	/** Concurrent events per scenario: enough to fill a batch with several contacts. */
	static final int EVENTS = 6;

	/** NSPS redelivers far longer; a handful of rounds must do once HubSpot is back. */
	static final int MAX_REDELIVERY_ROUNDS = 6;

	static final String SERVICE_ERROR = "SERVICE_ERROR";

	static final String CONNECTION_ERROR = "CONNECTION_ERROR";

	static final String RATE_LIMIT_ERROR = "RATE_LIMIT_ERROR";

	/** Java class names or exception types leaking into NSPS's answer. */
	static final Pattern JAVA_NAMES = Pattern.compile(
			"\\b(java|javax|jakarta|tools\\.jackson|com\\.fasterxml|org\\.springframework|com\\.portaone)\\.[a-zA-Z]"
					+ "|[A-Za-z]+(Exception|Error)\\b|\\bat [a-z]+\\.[a-z]");

	static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	static final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
		registry.add("connector.sync.event-deadline", () -> DEADLINE.toSeconds() + "s");
		registry.add("connector.hubspot.timeout", () -> "1s");
		registry.add("connector.hubspot.initial-backoff", () -> "50ms");
		registry.add("connector.hubspot.max-retries", () -> MAX_RETRIES);
		registry.add("connector.hubspot.daily-limit-cooldown", () -> COOLDOWN.toSeconds() + "s");
		registry.add("connector.hubspot.max-permit-wait", () -> "3s");
		registry.add("connector.hubspot.requests-per-second", () -> "50");
		registry.add("connector.hubspot.in-doubt-margin", () -> "500ms");
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@Nested
	class BatchMode extends Scenarios {

		BatchMode() {
			super("batch");
		}

	}

	/** Every scenario, run once per write mode. */
	abstract static class Scenarios {

		private final String mode;

		private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

		@LocalServerPort
		private int port;

		@Autowired
		private HubSpotRequestBudget budget;

		private String run = "";

		private String scenario = "";

		Scenarios(String mode) {
			this.mode = mode;
		}

		@BeforeEach
		void cleanSlate(TestInfo info) {
			// The start-up property check calls HubSpot too: let it finish (or give up)
			// first, so that it cannot take an injected fault.
			awaitUpTo(Duration.ofSeconds(8),
					() -> Thread.getAllStackTraces()
						.keySet()
						.stream()
						.noneMatch((thread) -> thread.getName().equals("hubspot-properties-check")));
			// The cool-down of a daily-limit scenario outlives the test in this context.
			awaitUpTo(COOLDOWN.plusSeconds(1), () -> this.budget.dailyLimitCooldownRemaining().isZero());
			// So does the pause for HubSpot's rolling window after a ten-secondly 429.
			awaitUpTo(Duration.ofSeconds(11), () -> this.budget.rollingWindowPauseRemaining().isZero());
			standIn.reset();
			// The connector's own budget is the point of other tests, not of these.
			standIn.setLimitPer10s(1000);
			standIn.setLatency(Duration.ZERO, 0);
			standIn.setHangDuration(Duration.ofSeconds(2));
			// Fresh event ids and emails: the redelivery store outlives the test too.
			this.run = this.mode + "-" + UUID.randomUUID().toString().substring(0, 8);
			this.scenario = info.getDisplayName();
		}

		@ParameterizedTest(name = "{0} storm")
		@EnumSource(value = Fault.class, names = { "SERVER_ERROR_500", "BAD_GATEWAY_502", "UNAVAILABLE_503" })
		void serverErrorStormIsAnswered503ServiceError(Fault fault) {
			standIn.setFaultRate(fault, 1);

			List<Answer> answers = deliver(allEvents());

			assertThat(answers).allSatisfy((answer) -> {
				assertError(answer, 503, SERVICE_ERROR);
				assertThat(answer.error()).contains("HubSpot answered " + fault.name().replaceAll("\\D", ""));
				assertThat(answer.took()).isLessThan(DEADLINE.plusSeconds(1));
			});
			// 5xx are retried before NSPS is answered.
			assertThat(contactRequests()).isGreaterThanOrEqualTo(1 + MAX_RETRIES);
			standIn.setFaultRate(fault, 0);
			redeliverAndCheck(answers);
		}

		@Test
		void lockedStormIsAnswered503ServiceError() {
			standIn.setFaultRate(Fault.LOCKED_423, 1);

			List<Answer> answers = deliver(allEvents());

			assertThat(answers).allSatisfy((answer) -> {
				assertError(answer, 503, SERVICE_ERROR);
				assertThat(answer.error()).contains("423");
			});
			assertThat(contactRequests()).isGreaterThanOrEqualTo(1 + MAX_RETRIES);
			standIn.setFaultRate(Fault.LOCKED_423, 0);
			redeliverAndCheck(answers);
		}

		@Test
		void tenSecondlyRateLimitStormIsAnswered429WithRetryAfter() {
			standIn.setFaultRate(Fault.TEN_SECONDLY_429, 1);

			List<Answer> answers = deliver(allEvents());

			assertThat(answers).allSatisfy((answer) -> {
				assertError(answer, 429, RATE_LIMIT_ERROR);
				assertThat(answer.retryAfterSeconds()).isPositive();
			});
			// Nothing is sent again while HubSpot's window is full: the first 429 pauses
			// every request for the window, longer than the events can wait. (How many
			// requests left before the first 429 came back depends on the machine.)
			List<String> sent = standIn.requests()
				.stream()
				.filter((request) -> request.path().startsWith("/crm/v3/objects"))
				.flatMap((request) -> json.readTree(request.body()).path("inputs").valueStream())
				.map((input) -> input.path("id").asString())
				.toList();
			assertThat(sent).isNotEmpty().doesNotHaveDuplicates();
			standIn.setFaultRate(Fault.TEN_SECONDLY_429, 0);
			redeliverAndCheck(answers);
		}

		@Test
		void dailyLimitIsAnswered429AndNoRequestReachesHubSpotDuringTheCooldown() {
			standIn.setFaultRate(Fault.DAILY_429, 1);

			Answer first = deliver(List.of(1)).get(0);

			assertError(first, 429, RATE_LIMIT_ERROR);
			assertThat(first.retryAfterSeconds()).isBetween(1L, COOLDOWN.toSeconds());
			// The daily limit is not retried.
			assertThat(contactRequests()).isEqualTo(1);

			List<Answer> during = deliver(IntStream.rangeClosed(2, EVENTS).boxed().toList());

			assertThat(during).allSatisfy((answer) -> {
				assertError(answer, 429, RATE_LIMIT_ERROR);
				assertThat(answer.retryAfterSeconds()).isBetween(1L, COOLDOWN.toSeconds());
				// At once, from the cool-down, not after a wait for HubSpot.
				assertThat(answer.took()).isLessThan(Duration.ofMillis(1500));
			});
			// A redelivery halfway through the cool-down is refused the same way.
			pause(COOLDOWN.dividedBy(2));
			assertThat(deliver(List.of(2))).singleElement()
				.satisfies((answer) -> assertError(answer, 429, RATE_LIMIT_ERROR));
			assertThat(contactRequests()).as("requests reaching HubSpot during the cool-down").isEqualTo(1);
			standIn.setFaultRate(Fault.DAILY_429, 0);
			List<Answer> answers = new ArrayList<>(during);
			answers.add(0, first);
			// Retry-After was long enough: one redelivery after it gets through.
			assertThat(redeliverAndCheck(answers)).isEqualTo(1);
		}

		@Test
		void hangingHubSpotIsAnswered503ConnectionErrorWithinTheDeadline() {
			standIn.setFaultRate(Fault.HANG, 1);

			List<Answer> answers = deliver(allEvents());

			assertThat(answers).allSatisfy((answer) -> assertError(answer, 503, CONNECTION_ERROR));
			standIn.setFaultRate(Fault.HANG, 0);
			redeliverAndCheck(answers);
		}

		@Test
		void connectionResetStormIsAnswered503ConnectionError() {
			standIn.setFaultRate(Fault.RESET, 1);

			List<Answer> answers = deliver(allEvents());

			assertThat(answers).allSatisfy((answer) -> assertError(answer, 503, CONNECTION_ERROR));
			assertThat(contactRequests()).isGreaterThanOrEqualTo(1 + MAX_RETRIES);
			standIn.setFaultRate(Fault.RESET, 0);
			redeliverAndCheck(answers);
		}

		@Test
		void intermittentResetsAreAcceptedOnlyWhenWritten() {
			// Often enough that some writes fail all four attempts and some get through.
			standIn.setFaultRate(Fault.RESET, 0.7);

			List<Answer> answers = deliver(allEvents());

			// A retry may get through: then the contact is there (checked in deliver).
			assertThat(answers).allSatisfy((answer) -> {
				if (answer.status() != 202) {
					assertError(answer, 503, CONNECTION_ERROR);
				}
			});
			standIn.setFaultRate(Fault.RESET, 0);
			redeliverAndCheck(answers);
		}

		@Test
		void bodyCutShortIsNeverTakenForASuccess() {
			// The stand-in writes nothing for a faulted request: any 202 now would be
			// false.
			standIn.setFaultRate(Fault.TRUNCATED_BODY, 1);

			List<Answer> answers = deliver(allEvents());

			assertThat(answers).allSatisfy((answer) -> assertError(answer, 503, CONNECTION_ERROR));
			assertThat(standIn.contactCount()).isZero();
			standIn.setFaultRate(Fault.TRUNCATED_BODY, 0);
			redeliverAndCheck(answers);
		}

		@Test
		void bodyCutShortOnceIsRetried() {
			standIn.injectFaults(Fault.TRUNCATED_BODY, 1);

			List<Answer> answers = deliver(allEvents());

			assertThat(answers).extracting(Answer::status).containsOnly(202);
			redeliverAndCheck(answers);
		}

		@ParameterizedTest(name = "{0}")
		@EnumSource(value = Fault.class, names = { "MALFORMED_JSON", "HTML_ERROR_PAGE" })
		void errorBodyThatIsNotHubSpotsJsonIsQuotedWithoutJavaNames(Fault fault) {
			String bodyStart = (fault == Fault.MALFORMED_JSON) ? "{\"status\":\"err"
					: "<html><body><h1>502 Bad Gateway";
			standIn.setFaultRate(fault, 1);

			List<Answer> answers = deliver(allEvents());

			assertThat(answers).allSatisfy((answer) -> {
				assertError(answer, 503, SERVICE_ERROR);
				assertThat(answer.error()).contains(bodyStart);
			});
			standIn.setFaultRate(fault, 0);
			redeliverAndCheck(answers);
		}

		@Test
		void hubSpotRecoveringMidwayIsAnswered202AfterRetries() {
			standIn.injectFaults(Fault.UNAVAILABLE_503, 2);

			List<Answer> answers = deliver(allEvents());

			assertThat(answers).extracting(Answer::status).containsOnly(202);
			// Both faults were met and retried past.
			assertThat(contactRequests()).isGreaterThanOrEqualTo(3);
			redeliverAndCheck(answers);
		}

		// ---- NSPS's side

		private List<Integer> allEvents() {
			return IntStream.rangeClosed(1, EVENTS).boxed().toList();
		}

		/**
		 * Posts the events concurrently, as NSPS does, and checks what holds for every
		 * answer: within the bound, NSPS's error shape, no Java names, and no 202 without
		 * the contact in HubSpot.
		 */
		private List<Answer> deliver(Collection<Integer> events) {
			List<CompletableFuture<Answer>> pending = events.stream().map(this::post).toList();
			List<Answer> answers = pending.stream().map(CompletableFuture::join).toList();
			assertThat(answers).allSatisfy((answer) -> {
				assertThat(answer.took()).as("answer time of event %d", answer.event()).isLessThan(ANSWER_BOUND);
				if (answer.status() == 202) {
					assertThat(standIn.contact(SimEvents.email(this.run, answer.event())))
						.as("contact of acknowledged event %d", answer.event())
						.isPresent();
				}
				else {
					assertThat(answer.body()).isNotNull();
					assertThat(answer.body().path("message").asString("")).isNotBlank();
					assertThat(answer.error()).isNotBlank().doesNotContainPattern(JAVA_NAMES);
				}
			});
			return answers;
		}

		private CompletableFuture<Answer> post(int event) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/process-event"))
				.header("Authorization", "Bearer test-api-token")
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(SimEvents.created(this.run, event)))
				.timeout(Duration.ofSeconds(30))
				.build();
			long start = System.nanoTime();
			return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
				.thenApply((response) -> new Answer(event, response.statusCode(), parse(response.body()),
						response.headers().firstValue("Retry-After").orElse(null),
						Duration.ofNanos(System.nanoTime() - start)));
		}

		/**
		 * Redelivers every event not acknowledged, as NSPS does (after Retry-After,
		 * capped to keep the test short), until each is; then checks every contact in
		 * HubSpot and prints a summary line.
		 * @return the redelivery rounds needed
		 */
		private int redeliverAndCheck(List<Answer> firstRound) {
			List<Answer> all = new ArrayList<>(firstRound);
			List<Integer> waiting = notAccepted(firstRound);
			int rounds = 0;
			int redeliveries = 0;
			while (!waiting.isEmpty()) {
				assertThat(rounds).as("redelivery rounds still refused: %s", waiting).isLessThan(MAX_REDELIVERY_ROUNDS);
				pause(nspsPause(all, waiting));
				List<Answer> answers = deliver(waiting);
				all.addAll(answers);
				redeliveries += answers.size();
				rounds++;
				waiting = notAccepted(answers);
			}
			List<Integer> events = firstRound.stream().map(Answer::event).toList();
			events.forEach(this::assertContactInHubSpot);
			System.out.printf(Locale.ROOT,
					"FAULT-SCENARIO | %s | %s | events %d | first round %s, Retry-After %s | redeliveries %d in %d "
							+ "round(s) | contact requests at HubSpot %d | slowest answer %d ms | missing after "
							+ "redelivery 0%n",
					this.mode, this.scenario, events.size(), statusCounts(firstRound),
					firstRound.stream()
						.map(Answer::retryAfter)
						.filter((value) -> value != null)
						.collect(Collectors.toCollection(TreeSet::new)),
					redeliveries, rounds, contactRequests(),
					all.stream().mapToLong((answer) -> answer.took().toMillis()).max().orElse(0));
			return rounds;
		}

		private void assertContactInHubSpot(int n) {
			assertThat(standIn.contact(SimEvents.email(this.run, n))).as("contact of event %d", n)
				.hasValueSatisfying(
						(contact) -> assertThat(contact).containsEntry("email", SimEvents.email(this.run, n))
							.containsEntry("firstname", "First" + n)
							.containsEntry("lastname", "Last" + n)
							.containsEntry("phone", String.format(Locale.ROOT, "555%07d", n))
							.containsEntry("account_id", Long.toString(SimEvents.account(this.run, n)))
							.containsEntry("has_add_ons", "true")
							.containsEntry("sim_card_id", String.valueOf(500_000 + n))
							.containsEntry("imsi", String.format(Locale.ROOT, "00101%010d", n))
							.containsEntry("type", "CREDIT ACCOUNT"));
		}

		private static List<Integer> notAccepted(List<Answer> answers) {
			return answers.stream().filter((answer) -> answer.status() != 202).map(Answer::event).toList();
		}

		/** The latest Retry-After of the waiting events, capped; else a short pause. */
		private static Duration nspsPause(List<Answer> answers, List<Integer> waiting) {
			Map<Integer, Answer> latest = new TreeMap<>();
			answers.forEach((answer) -> latest.put(answer.event(), answer));
			long seconds = waiting.stream().map(latest::get).mapToLong(Answer::retryAfterSeconds).max().orElse(0);
			return (seconds > 0) ? Duration.ofMillis(Math.min(seconds * 1000, 2500)) : Duration.ofMillis(200);
		}

		private static String statusCounts(List<Answer> answers) {
			return answers.stream()
				.collect(Collectors.groupingBy(
						(answer) -> answer.status() + ((answer.type().isEmpty()) ? "" : " " + answer.type()),
						TreeMap::new, Collectors.counting()))
				.toString();
		}

		/** Requests for contacts, not the start-up property check's. */
		private static long contactRequests() {
			return standIn.requests()
				.stream()
				.filter((request) -> request.path().startsWith("/crm/v3/objects"))
				.count();
		}

		private static void assertError(Answer answer, int status, String type) {
			assertThat(answer.status()).as("status of event %d: %s", answer.event(), answer.body()).isEqualTo(status);
			assertThat(answer.type()).as("type of event %d", answer.event()).isEqualTo(type);
			if (status == 429) {
				assertThat(answer.retryAfter()).as("Retry-After of event %d", answer.event()).isNotNull();
			}
		}

		private static @Nullable JsonNode parse(String body) {
			try {
				return json.readTree(body);
			}
			catch (RuntimeException ex) {
				return null;
			}
		}

		private static void pause(Duration duration) {
			try {
				Thread.sleep(duration.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		private static void awaitUpTo(Duration bound, BooleanSupplier condition) {
			long end = System.nanoTime() + bound.toNanos();
			while (!condition.getAsBoolean() && System.nanoTime() < end) {
				pause(Duration.ofMillis(50));
			}
		}

	}

	/** NSPS's view of one delivery. */
	record Answer(int event, int status, @Nullable JsonNode body, @Nullable String retryAfter, Duration took) {

		String type() {
			return (this.body != null) ? this.body.path("type").asString("") : "";
		}

		String error() {
			return (this.body != null) ? this.body.path("error").asString("") : "";
		}

		long retryAfterSeconds() {
			return (this.retryAfter != null) ? Long.parseLong(this.retryAfter.strip()) : 0;
		}

	}

}
