package com.portaone.nsps.hubspot.inbound;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.portaone.nsps.hubspot.inbound.BadEventGenerator.BadCase;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import com.portaone.nsps.hubspot.standin.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Over ten thousand generated bad inputs ({@link BadEventGenerator}) through the whole
 * application, the HubSpot stand-in behind it: each is answered as SPEC allows, in JSON,
 * never 500; no invalid event reaches HubSpot; and the connector is still healthy after.
 * The cases run once, before the checks, through MockMvc for speed.
 */
@SpringBootTest(properties = {
		// Every valid case is really written; HubSpot's own budget would make that
		// take ten minutes.
		"connector.hubspot.requests-per-second=5000",
		// Ten thousand refusals each log a warning; errors still show.
		"logging.level.com.portaone.nsps.hubspot=ERROR" })
// No printing: it would read a response while the thread that has the outcome writes it.
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Failures listed in full; the rest only counted. */
	private static final int LISTED_FAILURES = 40;

	/**
	 * Requests in flight at once: enough to keep both cores of a small CI machine busy.
	 */
	private static final int SENDERS = 4;

	/**
	 * Cases checked on their own by {@link #overlongAndOutOfRangeUtf8IsRefused()}, by a
	 * part of their name: overlong UTF-8 ({@code C0 AF}, "/") and sequences beyond
	 * U+10FFFF ({@code F4 90 80 80}) inside a string, which a lenient decoder would turn
	 * into text that reaches HubSpot.
	 */
	static final List<String> KNOWN_DEVIATIONS = List.of("with bytes C0AF inside", "with bytes F4908080 inside");

	@Autowired
	private MockMvc mvc;

	private final List<Outcome> outcomes = new ArrayList<>();

	private long elapsedMillis;

	private long generationMillis;

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
	}

	/** One case and what the connector answered. */
	record Outcome(BadCase badCase, Answer answer, @Nullable String problem) {

	}

	/** An answer: status, content type, body, and the challenge header of a 401. */
	record Answer(int status, @Nullable String contentType, byte[] body, @Nullable String challenge) {

		static Answer threw(Exception ex) {
			return new Answer(-1, null, ex.toString().getBytes(StandardCharsets.UTF_8), null);
		}

	}

	@BeforeAll
	void sendEveryCase() throws Exception {
		// The stand-in must not refuse what the connector's raised budget lets through.
		standIn.setLimitPer10s(1_000_000);
		long generating = System.nanoTime();
		List<BadCase> cases = BadEventGenerator.generate()
			.stream()
			.filter((badCase) -> !isKnownDeviation(badCase))
			.toList();
		long start = System.nanoTime();
		this.generationMillis = Duration.ofNanos(start - generating).toMillis();
		ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
		try {
			List<Future<Outcome>> answers = new ArrayList<>();
			for (BadCase badCase : cases) {
				answers.add(senders.submit(() -> outcome(this.mvc, badCase)));
			}
			for (Future<Outcome> answer : answers) {
				this.outcomes.add(answer.get());
			}
		}
		finally {
			senders.shutdownNow();
		}
		this.elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
		System.out.println(summary());
	}

	static boolean isKnownDeviation(BadCase badCase) {
		return KNOWN_DEVIATIONS.stream().anyMatch(badCase.name()::contains);
	}

	static Outcome outcome(MockMvc mvc, BadCase badCase) {
		Answer answer = send(mvc, badCase);
		return new Outcome(badCase, answer, problem(badCase, answer));
	}

	@AfterAll
	void stopStandIn() {
		standIn.close();
	}

	@Test
	void atLeastTenThousandCasesWereSent() {
		assertThat(this.outcomes).hasSizeGreaterThanOrEqualTo(10_000);
	}

	@Test
	void everyCaseIsAnsweredAsSpecSaysInJson() {
		List<Outcome> failed = this.outcomes.stream().filter((outcome) -> outcome.problem() != null).toList();
		assertThat(failed).as(() -> failed.size() + " of " + this.outcomes.size() + " cases failed, first ones:\n"
				+ String.join("\n",
						failed.stream()
							.limit(LISTED_FAILURES)
							.map((outcome) -> outcome.badCase() + ": " + outcome.problem())
							.toList()))
			.isEmpty();
	}

	@Test
	void noCaseWasAnswered500() {
		assertThat(this.outcomes)
			.filteredOn((outcome) -> outcome.answer().status() >= 500 || outcome.answer().status() < 0)
			.extracting((outcome) -> outcome.badCase().toString())
			.isEmpty();
	}

	@Test
	void nothingFromAnInvalidOrUnsupportedCaseReachedHubSpot() {
		List<RecordedRequest> writes = contactWrites();
		String forbidden = "@" + BadEventGenerator.INVALID_DOMAIN;
		String unsupported = "@" + BadEventGenerator.UNSUPPORTED_DOMAIN;
		assertThat(writes).extracting((write) -> decoded(write).toLowerCase(Locale.ROOT))
			.filteredOn((text) -> text.contains(forbidden) || text.contains(unsupported))
			.isEmpty();
		long accepted = this.outcomes.stream().filter((outcome) -> outcome.answer().status() == 202).count();
		assertThat(writes.size()).as("HubSpot writes against 202 answers").isLessThanOrEqualTo((int) accepted);
		// Every contact written is one that some case was answered 202 for.
		Set<String> acceptedEmails = new HashSet<>();
		this.outcomes.stream()
			.filter((outcome) -> outcome.answer().status() == 202)
			.forEach((outcome) -> outcome.badCase()
				.emails()
				.forEach((email) -> acceptedEmails.add(email.toLowerCase(Locale.ROOT))));
		List<String> written = writes.stream().flatMap((write) -> writtenEmails(write).stream()).toList();
		assertThat(written).isNotEmpty().filteredOn((email) -> !acceptedEmails.contains(email)).isEmpty();
	}

	@Test
	void everyAcceptedEventIsInHubSpot() {
		// 202 means HubSpot confirmed the write (SPEC section 1), unless the event id was
		// synced before: only events whose id no other case shares must be there.
		Map<String, Long> eventIds = this.outcomes.stream()
			.map((outcome) -> outcome.badCase().eventId())
			.filter(Objects::nonNull)
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		List<Outcome> missing = this.outcomes.stream()
			.filter((outcome) -> outcome.answer().status() == 202)
			.filter((outcome) -> eventIds.getOrDefault(outcome.badCase().eventId(), 0L) == 1)
			.filter((outcome) -> outcome.badCase().emails().stream().noneMatch((e) -> standIn.contact(e).isPresent()))
			// The subscriber is the identity: a later case of its account may have moved
			// its contact to another email.
			.filter((outcome) -> !heldForItsAccount(outcome.badCase()))
			.toList();
		assertThat(missing).extracting((outcome) -> outcome.badCase().toString()).isEmpty();
		assertThat(standIn.contactCount()).isPositive();
	}

	/** Whether a HubSpot contact holds the account the case carries. */
	private static boolean heldForItsAccount(BadCase badCase) {
		String account;
		try {
			JsonNode value = json.readTree(badCase.body()).path("pb_data").path("account_info").path("i_account");
			account = new java.math.BigInteger(value.asString("").strip()).toString();
		}
		catch (JacksonException | NumberFormatException ex) {
			return false;
		}
		return standIn.contacts()
			.stream()
			.anyMatch((contact) -> account.equals(contact.properties().get("account_id")));
	}

	@Test
	void overlongAndOutOfRangeUtf8IsRefused() {
		List<Outcome> deviations = BadEventGenerator.generate()
			.stream()
			.filter(BadInputTest::isKnownDeviation)
			.map((badCase) -> outcome(this.mvc, badCase))
			.toList();
		assertThat(deviations).hasSize(12)
			.allSatisfy((outcome) -> assertThat(outcome.problem()).as(outcome.badCase().toString()).isNull());
	}

	@Test
	void healthIsStillOk() throws Exception {
		this.mvc.perform(get("/health"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.status").value("ok"));
	}

	// ---- sending and checking

	private static Answer send(MockMvc mvc, BadCase badCase) {
		MockHttpServletRequestBuilder request = post("/process-event").content(badCase.body());
		if (badCase.contentType() != null) {
			request.header(HttpHeaders.CONTENT_TYPE, badCase.contentType());
		}
		if (badCase.authorization() != null) {
			request.header(HttpHeaders.AUTHORIZATION, badCase.authorization());
		}
		try {
			MvcResult result = NspsEventControllerTest.answered(mvc.perform(request).andReturn());
			MockHttpServletResponse response = result.getResponse();
			return new Answer(response.getStatus(), response.getContentType(), response.getContentAsByteArray(),
					response.getHeader(HttpHeaders.WWW_AUTHENTICATE));
		}
		catch (Exception ex) {
			return Answer.threw(ex);
		}
	}

	/** What is wrong with the answer, or {@code null}. */
	static @Nullable String problem(BadCase badCase, Answer answer) {
		String text = new String(answer.body(), StandardCharsets.UTF_8);
		if (answer.status() < 0) {
			return "threw " + text;
		}
		if (!badCase.expected().contains(answer.status())) {
			return "status " + answer.status() + ", body " + abbreviate(text);
		}
		if (answer.contentType() == null
				|| !MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(answer.contentType()))) {
			return "content type " + answer.contentType();
		}
		JsonNode body;
		try {
			body = json.readTree(answer.body());
		}
		catch (JacksonException ex) {
			return "body is not JSON: " + abbreviate(text);
		}
		if (body == null || !body.isObject()) {
			return "body is not a JSON object: " + abbreviate(text);
		}
		// Nothing internal reaches an answer (SPEC section 1).
		if (text.contains("Exception") || text.contains("\tat ") || text.contains("tools.jackson")) {
			return "body shows internals: " + abbreviate(text);
		}
		return switch (answer.status()) {
			case 202 -> expectMessage(body, "Event accepted for processing");
			case 200 -> body.path("message").asString("").startsWith("Unsupported event type: ") ? null
					: "200 without the unsupported-type message: " + abbreviate(text);
			case 401 -> ("Bearer".equals(answer.challenge())) ? errorProblem(body, "AUTHENTICATION_ERROR")
					: "401 without WWW-Authenticate: Bearer";
			case 422 -> validationProblem(badCase, body, text);
			case 413, 400 -> errorProblem(body, "VALIDATION_ERROR");
			default -> "unexpected status " + answer.status();
		};
	}

	private static @Nullable String expectMessage(JsonNode body, String message) {
		return message.equals(body.path("message").asString("")) ? null : "message is not \"" + message + "\"";
	}

	/** NSPS's ErrorResponse: message, error and type, the type matching the status. */
	private static @Nullable String errorProblem(JsonNode body, String type) {
		for (String name : List.of("message", "error", "type")) {
			if (!body.path(name).isString() || body.path(name).stringValue().isBlank()) {
				return "error body without \"" + name + "\": " + body;
			}
		}
		return type.equals(body.get("type").stringValue()) ? null
				: "type " + body.get("type").stringValue() + " instead of " + type;
	}

	private static @Nullable String validationProblem(BadCase badCase, JsonNode body, String text) {
		String problem = errorProblem(body, "VALIDATION_ERROR");
		if (problem != null) {
			return problem;
		}
		Set<String> named = new HashSet<>();
		body.path("details").forEach((detail) -> named.add(detail.path("field").asString("")));
		named.remove("");
		if (named.isEmpty()) {
			return "422 names no field: " + abbreviate(text);
		}
		// SPEC: a 422 names every field that failed, by its JSON path.
		Set<String> missing = new HashSet<>(badCase.fields());
		missing.removeAll(named);
		return missing.isEmpty() ? null : "422 does not name " + missing + ": " + abbreviate(text);
	}

	// ---- the stand-in's record

	private static List<RecordedRequest> contactWrites() {
		return standIn.requests()
			.stream()
			.filter((request) -> request.method().equals("POST") || request.method().equals("PATCH"))
			.filter((request) -> request.path().startsWith("/crm/v3/objects/contacts"))
			.toList();
	}

	private static String decoded(RecordedRequest request) {
		return URLDecoder.decode(request.path(), StandardCharsets.UTF_8) + " " + request.body();
	}

	/**
	 * The emails a write names: the ids of upserts by email, and the email properties (an
	 * update by record id names its contact by number).
	 */
	private static List<String> writtenEmails(RecordedRequest write) {
		List<String> emails = new ArrayList<>();
		JsonNode body = json.readTree(write.body());
		for (JsonNode input : body.path("inputs")) {
			JsonNode id = "email".equals(input.path("idProperty").asString("")) ? input.path("id") : null;
			for (JsonNode email : (id != null) ? List.of(id, input.path("properties").path("email"))
					: List.of(input.path("properties").path("email"))) {
				if (email.isString()) {
					emails.add(email.stringValue().toLowerCase(Locale.ROOT));
				}
			}
		}
		return emails;
	}

	// ---- reporting

	private String summary() {
		Map<String, Integer> expected = new TreeMap<>();
		Map<String, Integer> actual = new TreeMap<>();
		int failed = 0;
		for (Outcome outcome : this.outcomes) {
			expected.merge(outcome.badCase().expectedLabel(), 1, Integer::sum);
			actual.merge((outcome.answer().status() < 0) ? "threw" : String.valueOf(outcome.answer().status()), 1,
					Integer::sum);
			failed += (outcome.problem() != null) ? 1 : 0;
		}
		return "BadInput summary: " + this.outcomes.size() + " cases (generated in " + this.generationMillis
				+ " ms) sent in " + this.elapsedMillis + " ms; expected " + expected + "; actual " + actual
				+ "; failed " + failed + "; HubSpot writes " + contactWrites().size();
	}

	private static String abbreviate(String text) {
		return (text.length() <= 300) ? text : text.substring(0, 300) + "…";
	}

}
