package com.portaone.nsps.hubspot.inbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.RawHttp;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad inputs that only a real server shows faithfully: bodies far over the limit, with
 * and without a declared length, whose sender must still read the 413 (SPEC section 1);
 * content types a servlet container treats specially; bytes that are no UTF-8; nesting
 * that could overflow a stack. The connector stays healthy after all of them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "logging.level.com.portaone.nsps.hubspot=ERROR")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputOverHttpTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final long FIFTY_MB = 50L * 1024 * 1024;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	/** A status and body, however the exchange ended. */
	record Answer(int status, String contentType, String body) {

		JsonNode json() {
			return BadInputOverHttpTest.json.readTree(this.body);
		}

	}

	private static Answer answerOf(RawHttp.Answer raw) {
		return new Answer(raw.status(), raw.contentType(), raw.body());
	}

	@Test
	@Order(1)
	void fiftyMegabytesWithContentLengthAreAnswered413() throws Exception {
		// The body is generated as it is sent: no 50 MB array.
		BodyPublisher body = BodyPublishers
			.fromPublisher(BodyPublishers.ofInputStream(() -> new RawHttp.GeneratedBody(FIFTY_MB)), FIFTY_MB);
		HttpResponse<String> response = this.http.send(eventRequest("application/json").POST(body).build(),
				HttpResponse.BodyHandlers.ofString());
		expectTooLarge(new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
				response.body()));
	}

	@Test
	@Order(2)
	void fiftyMegabytesWithContentLengthOverARawSocketAreAnswered413() throws Exception {
		// The same without an HTTP client that might read the answer only after sending.
		expectTooLarge(answerOf(
				new RawHttp(this.port).sendLarge("POST", "/process-event", BadEventGenerator.BEARER, FIFTY_MB, false)));
	}

	@Test
	@Order(3)
	void chunkedBodyOverTheLimitIsAnswered413() throws Exception {
		// Unknown length: HttpClient sends it chunked. 5 MB is over the 2 MiB limit and
		// within what the connector drains, so the exchange ends cleanly.
		long size = 5L * 1024 * 1024;
		HttpResponse<String> response = this.http.send(eventRequest("application/json")
			.POST(BodyPublishers.ofInputStream(() -> new RawHttp.GeneratedBody(size)))
			.build(), HttpResponse.BodyHandlers.ofString());
		expectTooLarge(new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
				response.body()));
	}

	@Test
	@Order(4)
	void fiftyMegabytesChunkedAreAnswered413() throws Exception {
		// Far beyond what the connector drains: the connection closes under the sender,
		// who must still get the answer.
		expectTooLarge(answerOf(
				new RawHttp(this.port).sendLarge("POST", "/process-event", BadEventGenerator.BEARER, FIFTY_MB, true)));
	}

	@ParameterizedTest
	@Order(5)
	@ValueSource(strings = { "text/plain", "application/xml", "text/xml", "multipart/form-data; boundary=nsps",
			"multipart/related; boundary=x", "application/x-www-form-urlencoded",
			"application/x-www-form-urlencoded; charset=bogus", "application/octet-stream",
			"application/json; charset=bogus", "application/json; charset=UTF-16", "text/plain; charset=\"",
			"application/json, text/plain", "*/*", "garbage", ";;;", "/" })
	void validEventUnderAnotherContentTypeIsAccepted(String contentType) throws Exception {
		String event = event("bad-input-http-" + contentType.hashCode(),
				"http-" + Integer.toHexString(contentType.hashCode()) + "@" + BadEventGenerator.VALID_DOMAIN);
		Answer answer = send(contentType, event.getBytes(StandardCharsets.UTF_8));
		assertThat(answer.status()).as(answer.body()).isEqualTo(202);
		assertThat(answer.json().path("message").asString()).isEqualTo("Event accepted for processing");
	}

	@ParameterizedTest
	@Order(6)
	@ValueSource(strings = { "text/plain", "application/xml", "multipart/form-data; boundary=nsps",
			"application/x-www-form-urlencoded" })
	void bodyInTheDeclaredFormatIsNotJsonAndAnswered422(String contentType) throws Exception {
		String body = switch (contentType.split(";")[0]) {
			case "text/plain" -> "event_id: 1, event_type: SIM/Created";
			case "application/xml" -> "<?xml version=\"1.0\"?><event><event_id>1</event_id></event>";
			case "application/x-www-form-urlencoded" -> "event_id=1&data.event_type=SIM%2FCreated";
			default -> "--nsps\r\nContent-Disposition: form-data; name=\"event\"\r\nContent-Type: application/json"
					+ "\r\n\r\n" + event("bad-input-http-multipart", "multipart@" + BadEventGenerator.INVALID_DOMAIN)
					+ "\r\n--nsps--\r\n";
		};
		expectValidationError(send(contentType, body.getBytes(StandardCharsets.UTF_8)), "body");
	}

	/**
	 * Bug: a {@code multipart/*} content type without a boundary makes Spring MVC's
	 * multipart resolver parse the body (already read by the size filter) and fail with
	 * {@code MultipartException} "no multipart boundary was found", answered 500.
	 */
	@ParameterizedTest
	@Order(7)
	@ValueSource(strings = { "multipart/form-data", "Multipart/Form-Data", "multipart/form-data; boundary=",
			"multipart/form-data; charset=utf-8", "multipart/mixed" })
	void multipartWithoutBoundaryIsReadAsTheBodyItIs(String contentType) throws Exception {
		String event = event("bad-input-http-nb-" + Integer.toHexString(contentType.hashCode()),
				"http-nb-" + Integer.toHexString(contentType.hashCode()) + "@" + BadEventGenerator.UNCERTAIN_DOMAIN);
		Answer answer = send(contentType, event.getBytes(StandardCharsets.UTF_8));
		assertThat(answer.status()).as(answer.body()).isEqualTo(202);
		expectValidationError(send(contentType, "<event/>".getBytes(StandardCharsets.UTF_8)), "body");
	}

	@Test
	@Order(8)
	void invalidUtf8IsAnswered422() throws Exception {
		byte[] event = event("bad-input-http-utf8", "utf8@" + BadEventGenerator.INVALID_DOMAIN)
			.getBytes(StandardCharsets.UTF_8);
		int at = indexOf(event, "Olena".getBytes(StandardCharsets.UTF_8));
		byte[] broken = BadEventGenerator.concat(Arrays.copyOf(event, at), new byte[] { (byte) 0xFF, (byte) 0xFE },
				Arrays.copyOfRange(event, at, event.length));
		expectValidationError(send("application/json", broken), "body");
	}

	@ParameterizedTest
	@Order(9)
	@ValueSource(strings = { "[", "{\"a\":" })
	void nestingTenThousandDeepIsAnswered422(String opening) throws Exception {
		String closing = opening.equals("[") ? "]" : "}";
		String body = opening.repeat(10_000) + (opening.equals("[") ? "" : "1") + closing.repeat(10_000);
		expectValidationError(send("application/json", body.getBytes(StandardCharsets.UTF_8)), "body");
	}

	@Test
	@Order(100)
	void healthIsStillOkAfterwards() throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/health"))
				.timeout(TIMEOUT)
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json.readTree(response.body()).path("status").asString()).isEqualTo("ok");
		assertThat(standIn.requests()).extracting((request) -> request.body())
			.noneMatch((body) -> body.contains(BadEventGenerator.INVALID_DOMAIN));
	}

	// ---- checks

	private static void expectTooLarge(Answer answer) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(413);
		assertThat(answer.contentType()).startsWith("application/json");
		JsonNode body = answer.json();
		assertThat(body.path("message").asString()).isNotBlank();
		assertThat(body.path("error").asString()).isNotBlank();
		assertThat(body.path("type").asString()).isEqualTo("VALIDATION_ERROR");
	}

	private static void expectValidationError(Answer answer, String field) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(422);
		assertThat(answer.contentType()).startsWith("application/json");
		JsonNode body = answer.json();
		assertThat(body.path("message").asString()).isEqualTo("Validation failed");
		assertThat(body.path("error").asString()).contains(field);
		assertThat(body.path("type").asString()).isEqualTo("VALIDATION_ERROR");
		assertThat(body.path("details").findValuesAsString("field")).contains(field);
	}

	// ---- sending

	private HttpRequest.Builder eventRequest(String contentType) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/process-event"))
			.header("Authorization", BadEventGenerator.BEARER)
			.header("Content-Type", contentType)
			.timeout(TIMEOUT);
	}

	private Answer send(String contentType, byte[] body) throws Exception {
		HttpResponse<String> response = this.http.send(
				eventRequest(contentType).POST(BodyPublishers.ofByteArray(body)).build(),
				HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
				response.body());
	}

	// ---- bodies

	private static String event(String eventId, String email) {
		JsonNode event = BadEventGenerator.sample("sim-created");
		((tools.jackson.databind.node.ObjectNode) event).put("event_id", eventId);
		((tools.jackson.databind.node.ObjectNode) event.path("pb_data").path("account_info")).put("email", email);
		return json.writeValueAsString(event);
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		for (int i = 0; i + needle.length <= haystack.length; i++) {
			if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
				return i;
			}
		}
		throw new IllegalArgumentException("not found");
	}

}
