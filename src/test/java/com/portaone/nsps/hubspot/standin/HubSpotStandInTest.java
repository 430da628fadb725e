package com.portaone.nsps.hubspot.standin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HubSpotStandInTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private HubSpotStandIn standIn;

	@BeforeEach
	void start() {
		this.standIn = HubSpotStandIn.start(0);
	}

	@AfterEach
	void stop() {
		this.standIn.close();
	}

	@Test
	void createAnswers201ThenConflictNamingTheExistingId() throws Exception {
		HttpResponse<String> created = create("{\"email\":\"alice@example.com\",\"firstname\":\"Alice\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode contact = JSON.readTree(created.body());
		String id = contact.get("id").stringValue();
		assertThat(contact.get("properties").get("firstname").stringValue()).isEqualTo("Alice");
		assertThat(contact.get("archived").booleanValue()).isFalse();
		assertThat(contact.get("createdAt").stringValue()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

		HttpResponse<String> conflict = create("{\"email\":\"ALICE@example.com\"}");
		assertThat(conflict.statusCode()).isEqualTo(409);
		JsonNode error = JSON.readTree(conflict.body());
		assertThat(error.get("message").stringValue()).isEqualTo("Contact already exists. Existing ID: " + id);
		assertThat(error.get("category").stringValue()).isEqualTo("CONFLICT");
		assertThat(error.get("correlationId").stringValue()).isNotEmpty();
	}

	@Test
	void twoRequestsWritingOneContactAtOnceAreReported() throws Exception {
		String id = JSON.readTree(upsert(input("dan@example.com", "\"firstname\":\"D\"")).body())
			.path("results")
			.get(0)
			.path("id")
			.stringValue();
		// The first is held by HubSpot and lands after the second: both wrote at once.
		this.standIn.setHangDuration(Duration.ofMillis(800));
		this.standIn.injectFaults(Fault.LATE_WRITE, 1);
		int before = this.standIn.requestCount();
		CompletableFuture<HttpResponse<String>> first = CompletableFuture
			.supplyAsync(() -> upsertQuietly("Dan@example.com"));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.standIn.requestCount() == before + 1);
		upsert(input("dan@EXAMPLE.com", "\"firstname\":\"Dan\""));
		first.join();
		// One after the other is not at once.
		upsert(input("dan@example.com", "\"firstname\":\"Daniel\""));
		create("{\"email\":\"erin@example.com\"}");
		patch("erin@example.com", "{\"firstname\":\"Erin\"}");
		assertThat(this.standIn.concurrentWrites()).singleElement().asString().startsWith(id + ": ");
	}

	@Test
	void aWriteTheClientGaveUpOnLandsAfterItsLaterWrites() throws Exception {
		upsert(input("late@example.com", "\"firstname\":\"First\""));
		this.standIn.setHangDuration(Duration.ofMillis(600));
		this.standIn.injectFaults(Fault.LATE_WRITE, 1);
		HttpRequest old = request(this.standIn.contactsUrl() + "/batch/upsert").timeout(Duration.ofMillis(200))
			.POST(BodyPublishers.ofString("{\"inputs\":[" + input("late@example.com", "\"firstname\":\"Old\"") + "]}"))
			.header("Authorization", "Bearer " + HubSpotStandIn.DEFAULT_ACCESS_TOKEN)
			.build();
		assertThatExceptionOfType(java.net.http.HttpTimeoutException.class)
			.isThrownBy(() -> CLIENT.send(old, BodyHandlers.ofString()));
		upsert(input("late@example.com", "\"firstname\":\"New\""));
		// Idle only once the held write has landed.
		this.standIn.awaitIdle(Duration.ofSeconds(5));
		assertThat(this.standIn.heldWritesLanded()).isOne();
		assertThat(this.standIn.contact("late@example.com").orElseThrow()).containsEntry("firstname", "Old");
	}

	@Test
	void aRequestThatWroteNothingOverlapsNothing() throws Exception {
		// A client that timed out sends again while HubSpot still holds the first
		// request: it hangs and fails, so only the second wrote.
		this.standIn.setHangDuration(Duration.ofMillis(600));
		this.standIn.injectFaults(Fault.HANG, 1);
		CompletableFuture<HttpResponse<String>> hung = CompletableFuture
			.supplyAsync(() -> upsertQuietly("Fay@example.com"));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.standIn.requestCount() == 1);
		assertThat(upsert(input("fay@example.com", "\"firstname\":\"Fay\"")).statusCode()).isEqualTo(200);
		assertThat(hung.join().statusCode()).isEqualTo(503);
		assertThat(this.standIn.concurrentWrites()).isEmpty();
	}

	@Test
	void anUpsertResultCarriesTheRecordIdAndCannotChangeTheEmailItIsKeyedBy() throws Exception {
		JsonNode created = JSON.readTree(upsert(input("gil@example.com", "\"firstname\":\"Gil\"")).body());
		assertThat(created.path("results").get(0).path("id").stringValue()).isNotEmpty();
		assertThat(created.path("results").get(0).path("new").booleanValue()).isTrue();
		HttpResponse<String> moved = upsert(input("gil@example.com", "\"email\":\"other@example.com\""));
		assertThat(moved.statusCode()).isEqualTo(400);
		assertThat(this.standIn.contact("gil@example.com")).isPresent();
	}

	@Test
	void aBatchUpdateByRecordIdChangesTheEmailUnlessAnotherContactHoldsIt() throws Exception {
		String gil = JSON.readTree(upsert(input("gil@example.com", "\"firstname\":\"Gil\"")).body())
			.path("results")
			.get(0)
			.path("id")
			.stringValue();
		String taken = this.standIn.putContact(Map.of("email", "taken@example.com"));
		HttpResponse<String> answer = post(this.standIn.contactsUrl() + "/batch/update",
				"{\"inputs\":[" + "{\"id\":\"" + gil
						+ "\",\"properties\":{\"email\":\"taken@example.com\"},\"objectWriteTraceId\":\"t1\"},"
						+ "{\"id\":\"999\",\"properties\":{\"firstname\":\"X\"},\"objectWriteTraceId\":\"t2\"}]}");
		assertThat(answer.statusCode()).isEqualTo(207);
		JsonNode errors = JSON.readTree(answer.body()).path("errors");
		assertThat(errors).hasSize(2);
		assertThat(errors.get(0).path("category").stringValue()).isEqualTo("CONFLICT");
		assertThat(errors.get(0).path("message").stringValue())
			.isEqualTo("Contact already exists. Existing ID: " + taken);
		assertThat(errors.get(0).path("context").path("objectWriteTraceId").get(0).stringValue()).isEqualTo("t1");
		assertThat(errors.get(1).path("category").stringValue()).isEqualTo("OBJECT_NOT_FOUND");
		HttpResponse<String> moved = post(this.standIn.contactsUrl() + "/batch/update",
				"{\"inputs\":[{\"id\":\"" + gil + "\",\"properties\":{\"email\":\"gil.new@example.com\"}}]}");
		assertThat(moved.statusCode()).isEqualTo(200);
		assertThat(this.standIn.contact("gil@example.com")).isEmpty();
		assertThat(this.standIn.contact("gil.new@example.com"))
			.hasValueSatisfying((contact) -> assertThat(contact).containsEntry("firstname", "Gil"));
	}

	private HttpResponse<String> upsertQuietly(String email) {
		try {
			return upsert(input(email, "\"firstname\":\"D\""));
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void createRejectsInvalidEmail() throws Exception {
		HttpResponse<String> response = create("{\"email\":\"not-an-email\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = JSON.readTree(response.body());
		assertThat(error.get("category").stringValue()).isEqualTo("VALIDATION_ERROR");
		assertThat(error.get("message").stringValue()).isEqualTo("Property values were not valid: [{\"isValid\":false,"
				+ "\"message\":\"Email address not-an-email is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]");
	}

	@Test
	void requestWithoutTheTokenIsUnauthenticated() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.standIn.contactsUrl())).GET(),
				"wrong-token");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(JSON.readTree(response.body()).get("category").stringValue()).isEqualTo("INVALID_AUTHENTICATION");
	}

	@Test
	void patchOfUnknownEmailIsNotFound() throws Exception {
		HttpResponse<String> response = patch("nobody@example.com", "{\"firstname\":\"X\"}");
		assertThat(response.statusCode()).isEqualTo(404);
		JsonNode error = JSON.readTree(response.body());
		assertThat(error.get("category").stringValue()).isEqualTo("OBJECT_NOT_FOUND");
		assertThat(error.get("message").stringValue()).isEqualTo("resource not found");
	}

	@Test
	void patchMergesPropertiesAndIgnoresEmailCase() throws Exception {
		create("{\"email\":\"Bob+sim@Example.com\",\"firstname\":\"Bob\",\"phone\":\"1\"}");
		HttpResponse<String> response = patch("bob+sim@example.COM", "{\"lastname\":\"Smith\",\"phone\":\"2\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(response.body()).get("properties").get("lastname").stringValue()).isEqualTo("Smith");
		assertThat(this.standIn.contact("BOB+SIM@example.com"))
			.hasValueSatisfying((properties) -> assertThat(properties).containsEntry("firstname", "Bob")
				.containsEntry("lastname", "Smith")
				.containsEntry("phone", "2")
				.containsEntry("email", "Bob+sim@Example.com"));
		assertThat(this.standIn.contactCount()).isOne();
	}

	@Test
	void unknownPropertyIsRejectedLikeHubSpot() throws Exception {
		assertThat(this.standIn.removeProperty("imsi")).isTrue();
		assertThat(this.standIn.knownProperties()).doesNotContain("imsi").contains("sim_card_id");
		HttpResponse<String> response = create("{\"email\":\"carol@example.com\",\"imsi\":\"001010000000001\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = JSON.readTree(response.body());
		assertThat(error.get("category").stringValue()).isEqualTo("VALIDATION_ERROR");
		String message = error.get("message").stringValue();
		assertThat(message).startsWith("Property values were not valid: [");
		JsonNode entry = JSON.readTree(message.substring(message.indexOf('['))).get(0);
		assertThat(entry.get("error").stringValue()).isEqualTo("PROPERTY_DOESNT_EXIST");
		assertThat(entry.get("name").stringValue()).isEqualTo("imsi");
		assertThat(entry.get("message").stringValue()).isEqualTo("Property \"imsi\" does not exist");
		assertThat(this.standIn.contactCount()).isZero();
	}

	@Test
	void nonStringValueIsRejected() throws Exception {
		HttpResponse<String> response = create("{\"email\":\"dave@example.com\",\"has_add_ons\":true}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(response.body()).get("category").stringValue()).isEqualTo("VALIDATION_ERROR");
	}

	@Test
	void batchUpsertCreatesAndMerges() throws Exception {
		create("{\"email\":\"old@example.com\",\"firstname\":\"Old\"}");
		HttpResponse<String> response = upsert(input("OLD@example.com", "\"lastname\":\"Timer\""),
				input("new@example.com", "\"firstname\":\"New\""));
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("status").stringValue()).isEqualTo("COMPLETE");
		assertThat(body.get("results")).hasSize(2);
		assertThat(body.get("results").get(0).get("new").booleanValue()).isFalse();
		assertThat(body.get("results").get(1).get("new").booleanValue()).isTrue();
		assertThat(this.standIn.contact("old@example.com"))
			.hasValueSatisfying((properties) -> assertThat(properties).containsEntry("firstname", "Old")
				.containsEntry("lastname", "Timer"));
		assertThat(this.standIn.contact("new@example.com"))
			.hasValueSatisfying((properties) -> assertThat(properties).containsEntry("email", "new@example.com"));
	}

	@Test
	void batchUpsertRejectsDuplicateIds() throws Exception {
		HttpResponse<String> response = upsert(input("x@example.com", ""), input("X@example.com", ""));
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode error = JSON.readTree(response.body());
		assertThat(error.get("category").stringValue()).isEqualTo("VALIDATION_ERROR");
		assertThat(error.get("message").stringValue()).startsWith("Duplicate IDs found in batch input: [");
		assertThat(this.standIn.contactCount()).isZero();
	}

	@Test
	void batchUpsertRejectsWholeBatchForOneBadInput() throws Exception {
		HttpResponse<String> response = upsert(input("fine@example.com", ""), input("broken-at-example", ""));
		assertThat(response.statusCode()).isEqualTo(400);
		String message = JSON.readTree(response.body()).get("message").stringValue();
		assertThat(message).contains("INVALID_EMAIL").contains("broken-at-example").contains("\"inputIndex\":1");
		this.standIn.removeProperty("type");
		assertThat(upsert(input("fine@example.com", ""), input("other@example.com", "\"type\":\"esim\"")).body())
			.contains("PROPERTY_DOESNT_EXIST");
		assertThat(this.standIn.contactCount()).isZero();
	}

	@Test
	void batchUpsertRejectsMoreThan100Inputs() throws Exception {
		String[] inputs = IntStream.range(0, 101)
			.mapToObj((i) -> input("u" + i + "@example.com", ""))
			.toArray(String[]::new);
		assertThat(upsert(inputs).statusCode()).isEqualTo(400);
		assertThat(upsert(List.of(inputs).subList(0, 100).toArray(String[]::new)).statusCode()).isEqualTo(200);
		assertThat(this.standIn.contactCount()).isEqualTo(100);
	}

	@Test
	void propertiesCanBeListedReadAndCreated() throws Exception {
		String url = "http://127.0.0.1:" + this.standIn.port() + "/crm/v3/properties/contacts";
		assertThat(get(url).body()).contains("\"name\":\"account_id\"");
		assertThat(get(url + "/plan").statusCode()).isEqualTo(404);
		String plan = "{\"name\":\"plan\",\"label\":\"Plan\",\"type\":\"string\",\"fieldType\":\"text\",\"groupName\":\"nsps\"}";
		assertThat(post(url, plan).statusCode()).isEqualTo(201);
		assertThat(post(url, plan).statusCode()).isEqualTo(409);
		assertThat(get(url + "/plan").statusCode()).isEqualTo(200);
		assertThat(create("{\"email\":\"p@example.com\",\"plan\":\"gold\"}").statusCode()).isEqualTo(201);
		assertThat(get("http://127.0.0.1:" + this.standIn.port() + "/nothing/here").statusCode()).isEqualTo(404);
	}

	@Test
	void rollingLimitAnswers429AndStatisticsSeeIt() throws Exception {
		this.standIn.setLimitPer10s(5);
		for (int i = 1; i <= 5; i++) {
			HttpResponse<String> response = get(this.standIn.contactsUrl());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("X-HubSpot-RateLimit-Remaining")).hasValue(String.valueOf(5 - i));
		}
		HttpResponse<String> limited = get(this.standIn.contactsUrl());
		assertThat(limited.statusCode()).isEqualTo(429);
		JsonNode error = JSON.readTree(limited.body());
		assertThat(error.get("policyName").stringValue()).isEqualTo("TEN_SECONDLY_ROLLING");
		assertThat(error.get("errorType").stringValue()).isEqualTo("RATE_LIMIT");
		assertThat(limited.headers().firstValue("X-HubSpot-RateLimit-Max")).hasValue("5");
		assertThat(limited.headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")).hasValue("10000");

		// Concurrent arrivals are limited just the same.
		List<CompletableFuture<HttpResponse<String>>> burst = IntStream.range(0, 10)
			.mapToObj(
					(i) -> CLIENT.sendAsync(request(this.standIn.contactsUrl()).GET().build(), BodyHandlers.ofString()))
			.collect(Collectors.toList());
		assertThat(burst).allSatisfy((response) -> assertThat(response.get().statusCode()).isEqualTo(429));

		assertThat(this.standIn.requestCount()).isEqualTo(16);
		assertThat(this.standIn.rateLimitedCount()).isEqualTo(11);
		assertThat(this.standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10))).isEqualTo(16);
		assertThat(this.standIn.maxRequestsInAnyWindow(Duration.ofNanos(1))).isEqualTo(1);
		assertThat(this.standIn.requests().get(0).path()).isEqualTo("/crm/v3/objects/contacts");

		this.standIn.reset();
		assertThat(this.standIn.requestCount()).isZero();
		assertThat(get(this.standIn.contactsUrl()).statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@CsvSource({ "SERVER_ERROR_500, 500, internal error", "BAD_GATEWAY_502, 502, Bad Gateway",
			"UNAVAILABLE_503, 503, Service Unavailable", "LOCKED_423, 423, locked",
			"TEN_SECONDLY_429, 429, TEN_SECONDLY_ROLLING", "DAILY_429, 429, \"policyName\":\"DAILY\"",
			"MALFORMED_JSON, 502, '{\"status\":\"err'", "HTML_ERROR_PAGE, 502, <h1>502 Bad Gateway</h1>" })
	void faultAnswersOnceWithoutWriting(Fault fault, int status, String bodyPart) throws Exception {
		this.standIn.injectFaults(fault, 1);
		HttpResponse<String> faulted = create("{\"email\":\"f@example.com\"}");
		assertThat(faulted.statusCode()).isEqualTo(status);
		assertThat(faulted.body()).contains(bodyPart);
		if (fault == Fault.HTML_ERROR_PAGE) {
			assertThat(faulted.headers().firstValue("Content-Type")).hasValue("text/html");
		}
		if (fault == Fault.MALFORMED_JSON) {
			assertThat(faulted.body()).isEqualTo("{\"status\":\"err");
		}
		assertThat(this.standIn.contactCount()).isZero();
		assertThat(create("{\"email\":\"f@example.com\"}").statusCode()).isEqualTo(201);
		assertThat(this.standIn.rateLimitedCount()).isZero();
	}

	@Test
	void resetFaultDropsTheConnection() throws Exception {
		this.standIn.injectFaults(Fault.RESET, 1);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> create("{\"email\":\"r@example.com\"}"));
		assertThat(this.standIn.contactCount()).isZero();
		assertThat(create("{\"email\":\"r@example.com\"}").statusCode()).isEqualTo(201);
	}

	@Test
	void truncatedBodyFaultSends200ThenBreaksTheBody() throws Exception {
		this.standIn.injectFaults(Fault.TRUNCATED_BODY, 1);
		HttpResponse<InputStream> response = CLIENT.send(
				request(this.standIn.contactsUrl()).POST(BodyPublishers.ofString("{\"properties\":{}}")).build(),
				BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		try (InputStream body = response.body()) {
			assertThatExceptionOfType(IOException.class).isThrownBy(body::readAllBytes);
		}
	}

	@Test
	void hangFaultAnswers503AfterTheHangDuration() throws Exception {
		this.standIn.setHangDuration(Duration.ofMillis(200));
		this.standIn.injectFaults(Fault.HANG, 1);
		long started = System.nanoTime();
		assertThat(create("{\"email\":\"h@example.com\"}").statusCode()).isEqualTo(503);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(this.standIn.contactCount()).isZero();
	}

	@Test
	void closeInterruptsAHangingRequest() throws Exception {
		this.standIn.injectFaults(Fault.HANG, 1);
		CompletableFuture<HttpResponse<String>> hanging = CLIENT.sendAsync(
				request(this.standIn.contactsUrl()).POST(BodyPublishers.ofString("{\"properties\":{}}")).build(),
				BodyHandlers.ofString());
		while (this.standIn.requestCount() == 0) {
			Thread.sleep(5);
		}
		long started = System.nanoTime();
		this.standIn.close();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		assertThat(hanging).failsWithin(2, TimeUnit.SECONDS);
	}

	@Test
	void faultRateAppliesToEveryRequestAtProbabilityOne() throws Exception {
		this.standIn.setFaultRate(Fault.UNAVAILABLE_503, 1);
		assertThat(get(this.standIn.contactsUrl()).statusCode()).isEqualTo(503);
		assertThat(get(this.standIn.contactsUrl()).statusCode()).isEqualTo(503);
		this.standIn.setFaultRate(Fault.UNAVAILABLE_503, 0);
		assertThat(get(this.standIn.contactsUrl()).statusCode()).isEqualTo(200);
	}

	@Test
	void latencyDelaysEveryAnswer() throws Exception {
		this.standIn.setLatency(Duration.ofMillis(100), 0.2);
		long started = System.nanoTime();
		assertThat(get(this.standIn.contactsUrl()).statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
	}

	private HttpResponse<String> create(String properties) throws IOException, InterruptedException {
		return post(this.standIn.contactsUrl(), "{\"properties\":" + properties + "}");
	}

	private HttpResponse<String> patch(String email, String properties) throws IOException, InterruptedException {
		String url = this.standIn.contactsUrl() + "/" + URLEncoder.encode(email, StandardCharsets.UTF_8)
				+ "?idProperty=email";
		return send(request(url).method("PATCH", BodyPublishers.ofString("{\"properties\":" + properties + "}")),
				HubSpotStandIn.DEFAULT_ACCESS_TOKEN);
	}

	private HttpResponse<String> upsert(String... inputs) throws IOException, InterruptedException {
		return post(this.standIn.contactsUrl() + "/batch/upsert", "{\"inputs\":[" + String.join(",", inputs) + "]}");
	}

	private static String input(String email, String properties) {
		return "{\"idProperty\":\"email\",\"id\":\"" + email + "\",\"properties\":{" + properties
				+ "},\"objectWriteTraceId\":\"" + email + "\"}";
	}

	private HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
		return send(request(url).POST(BodyPublishers.ofString(body)), HubSpotStandIn.DEFAULT_ACCESS_TOKEN);
	}

	private HttpResponse<String> get(String url) throws IOException, InterruptedException {
		return send(request(url).GET(), HubSpotStandIn.DEFAULT_ACCESS_TOKEN);
	}

	private static HttpRequest.Builder request(String url) {
		return HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(3))
			.header("Authorization", "Bearer " + HubSpotStandIn.DEFAULT_ACCESS_TOKEN)
			.header("Content-Type", "application/json");
	}

	private static HttpResponse<String> send(HttpRequest.Builder request, String token)
			throws IOException, InterruptedException {
		return CLIENT.send(request.setHeader("Authorization", "Bearer " + token).build(), BodyHandlers.ofString());
	}

}
