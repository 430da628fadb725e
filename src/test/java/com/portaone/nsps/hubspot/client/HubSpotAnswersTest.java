package com.portaone.nsps.hubspot.client;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.impl.classic.RequestFailedException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What each answer HubSpot can give means, as one table: status, category,
 * {@code policyName}, {@code errors[]} codes, a 207 entry, a timeout and a lost
 * connection, each with its verdict, and so whether it is retried, whether a batch is
 * narrowed, what NSPS gets, and whether HubSpot may still apply the request.
 */
class HubSpotAnswersTest {

	private static final String RATE = "{\"status\":\"error\",\"message\":\"You have reached your %s limit.\","
			+ "\"errorType\":\"RATE_LIMIT\",\"policyName\":\"%s\"}";

	static Stream<Arguments> answers() {
		return Stream.of(
				// status, body, verdict
				arguments(500, error("internal error", "INTERNAL_ERROR"), Verdict.SERVER_ERROR),
				arguments(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", Verdict.SERVER_ERROR),
				arguments(503, error("Service Unavailable", "SERVICE_UNAVAILABLE"), Verdict.SERVER_ERROR),
				arguments(504, "", Verdict.SERVER_ERROR), arguments(502, "{\"status\":\"err", Verdict.SERVER_ERROR),
				arguments(423, error("Resource is locked, retry later", "LOCKED"), Verdict.LOCKED),
				arguments(429, RATE.formatted("ten_secondly_rolling", "TEN_SECONDLY_ROLLING"), Verdict.ROLLING_LIMIT),
				arguments(429, RATE.formatted("secondly", "SECONDLY"), Verdict.ROLLING_LIMIT),
				arguments(429, "{\"status\":\"error\",\"message\":\"too many\"}", Verdict.ROLLING_LIMIT),
				arguments(429, RATE.formatted("daily", "DAILY"), Verdict.DAILY_LIMIT),
				arguments(401, error("Authentication credentials not found.", "INVALID_AUTHENTICATION"),
						Verdict.ACCESS_REFUSED),
				arguments(403, error("This app hasn't been granted all required scopes", "MISSING_SCOPES"),
						Verdict.ACCESS_REFUSED),
				arguments(400,
						invalid("account_id", "PROPERTY_DOESNT_EXIST", "Property \\\"account_id\\\" does not exist"),
						Verdict.PROPERTY_MISSING),
				arguments(400, "{\"status\":\"error\",\"message\":\"Property values were not valid\",\"category\":"
						+ "\"VALIDATION_ERROR\",\"errors\":[{\"message\":\"lifecyclestage is required\",\"code\":"
						+ "\"MISSING_CONDITIONAL_REQUIRED_PROPERTY\",\"context\":{\"propertyName\":"
						+ "[\"lifecyclestage\"]}}]}", Verdict.PROPERTY_REQUIRED),
				arguments(400,
						"{\"status\":\"error\",\"message\":\"Property values were not valid\",\"category\":"
								+ "\"VALIDATION_ERROR\",\"errors\":[{\"message\":\"jobtitle is required\",\"code\":"
								+ "\"MISSING_REQUIRED_PROPERTY\"}]}",
						Verdict.PROPERTY_REQUIRED),
				arguments(400, invalid("email", "INVALID_EMAIL", "Email address a@b.com.com is invalid"),
						Verdict.INVALID_DATA),
				arguments(400, invalid("type", "INVALID_OPTION", "X was not one of the allowed options"),
						Verdict.INVALID_DATA),
				arguments(400, error("Duplicate IDs found in batch input: [a@x.com]", "VALIDATION_ERROR"),
						Verdict.INVALID_DATA),
				arguments(400, error("Invalid input JSON on line 1", "INVALID_INPUT"), Verdict.REFUSED),
				arguments(409, error("Contact already exists. Existing ID: 51", "CONFLICT"), Verdict.EMAIL_TAKEN),
				arguments(409, error("Conflicting update", "SOMETHING_ELSE"), Verdict.REFUSED),
				arguments(404, error("resource not found", "OBJECT_NOT_FOUND"), Verdict.NOT_FOUND),
				arguments(404, "", Verdict.NOT_FOUND), arguments(405, "", Verdict.REFUSED),
				arguments(413, "", Verdict.REFUSED),
				arguments(415, error("Unsupported media type", "UNSUPPORTED_MEDIA_TYPE"), Verdict.REFUSED),
				arguments(418, "", Verdict.REFUSED));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("answers")
	void eachAnswerHasItsVerdict(int status, String body, Verdict verdict) {
		HubSpotException failure = HubSpotException.answered(status,
				HubSpotErrors.parse(body.getBytes(StandardCharsets.UTF_8)), null);
		assertThat(failure.verdict()).isEqualTo(verdict);
		assertThat(failure.status()).isEqualTo(status);
		assertThat(failure.getMessage()).startsWith("HubSpot answered " + status + ": ");
	}

	static Stream<Arguments> entries() {
		return Stream.of(arguments(error("Contact already exists. Existing ID: 51", "CONFLICT"), Verdict.EMAIL_TAKEN),
				arguments(error("Object not found. objectId: 9", "OBJECT_NOT_FOUND"), Verdict.NOT_FOUND),
				arguments(invalid("email", "INVALID_EMAIL", "Email address x is invalid"), Verdict.INVALID_DATA),
				arguments(invalid("imsi", "PROPERTY_DOESNT_EXIST", "Property \\\"imsi\\\" does not exist"),
						Verdict.PROPERTY_MISSING),
				arguments(
						"{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\",\"message\":\"Property values were"
								+ " not valid\",\"errors\":[{\"code\":\"MISSING_REQUIRED_PROPERTY\"}]}",
						Verdict.PROPERTY_REQUIRED),
				arguments("{\"status\":\"error\",\"category\":\"WHATEVER\",\"message\":\"no\"}", Verdict.INVALID_DATA));
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("entries")
	void anEntryOfA207ConcernsItsInputOnly(String entry, Verdict verdict) {
		assertThat(HubSpotException.ofInput(HubSpotErrors.parse(entry.getBytes(StandardCharsets.UTF_8))).verdict())
			.isEqualTo(verdict);
	}

	/** What Apache HttpClient throws, and whether the exchange's deadline had passed. */
	static Stream<Arguments> noAnswers() {
		return Stream.of(arguments(new SocketTimeoutException("Read timed out"), false, Verdict.TIMED_OUT),
				arguments(new RequestFailedException("Request aborted"), true, Verdict.TIMED_OUT),
				arguments(new SocketException("Socket closed"), true, Verdict.TIMED_OUT),
				arguments(new SocketException("Socket closed"), false, Verdict.CONNECTION_LOST),
				arguments(new ExchangeDeadline.NotSentException(new SocketException("Socket closed")), true,
						Verdict.CONNECTION_REFUSED),
				arguments(new ConnectTimeoutException("Connect timed out"), false, Verdict.CONNECTION_REFUSED),
				arguments(new ConnectTimeoutException("Connect timed out"), true, Verdict.CONNECTION_REFUSED),
				arguments(new HttpHostConnectException("Connection refused"), false, Verdict.CONNECTION_REFUSED),
				arguments(new ConnectException("Connection refused"), false, Verdict.CONNECTION_REFUSED),
				arguments(new UnknownHostException("api.hubapi.invalid"), false, Verdict.CONNECTION_REFUSED),
				arguments(new ConnectionRequestTimeoutException("Timeout deadline: 1000 MILLISECONDS"), true,
						Verdict.CONNECTION_REFUSED),
				arguments(new NoHttpResponseException("127.0.0.1:8080 failed to respond"), false,
						Verdict.CONNECTION_LOST),
				arguments(new SocketException("Connection reset"), false, Verdict.CONNECTION_LOST),
				arguments(new MalformedChunkCodingException("Bad chunk header"), false, Verdict.CONNECTION_LOST),
				arguments(new ConnectionClosedException("Premature end of chunk coded message body"), false,
						Verdict.CONNECTION_LOST),
				arguments(new IllegalStateException("?"), false, Verdict.CONNECTION_LOST));
	}

	@ParameterizedTest(name = "{0}, past the deadline: {1}")
	@MethodSource("noAnswers")
	void aRequestWithoutAnAnswerHasItsVerdict(Throwable cause, boolean pastDeadline, Verdict verdict) {
		HubSpotException failure = HubSpotException.noAnswer(cause, pastDeadline);
		assertThat(failure.verdict()).isEqualTo(verdict);
		assertThat(failure.status()).isZero();
	}

	/** The table itself: per verdict, its retry, its scope, what NSPS gets, and doubt. */
	static Stream<Arguments> verdicts() {
		return Stream.of(
				arguments(Verdict.SERVER_ERROR, Verdict.Retry.BACKOFF, Verdict.Scope.REQUEST,
						Verdict.ForNsps.SERVICE_UNAVAILABLE, false),
				arguments(Verdict.LOCKED, Verdict.Retry.BACKOFF, Verdict.Scope.REQUEST,
						Verdict.ForNsps.SERVICE_UNAVAILABLE, false),
				arguments(Verdict.ROLLING_LIMIT, Verdict.Retry.AFTER_WINDOW, Verdict.Scope.REQUEST,
						Verdict.ForNsps.RATE_LIMITED, false),
				arguments(Verdict.DAILY_LIMIT, Verdict.Retry.NEVER, Verdict.Scope.REQUEST,
						Verdict.ForNsps.DAILY_LIMITED, false),
				arguments(Verdict.ACCESS_REFUSED, Verdict.Retry.NEVER, Verdict.Scope.REQUEST,
						Verdict.ForNsps.SERVICE_UNAVAILABLE, false),
				arguments(Verdict.PROPERTY_MISSING, Verdict.Retry.NEVER, Verdict.Scope.REQUEST,
						Verdict.ForNsps.REJECTED, false),
				arguments(Verdict.PROPERTY_REQUIRED, Verdict.Retry.NEVER, Verdict.Scope.REQUEST,
						Verdict.ForNsps.REJECTED, false),
				arguments(Verdict.INVALID_DATA, Verdict.Retry.NEVER, Verdict.Scope.INPUT, Verdict.ForNsps.REJECTED,
						false),
				arguments(Verdict.EMAIL_TAKEN, Verdict.Retry.NEVER, Verdict.Scope.INPUT, Verdict.ForNsps.REJECTED,
						false),
				arguments(Verdict.NOT_FOUND, Verdict.Retry.NEVER, Verdict.Scope.REQUEST, Verdict.ForNsps.REJECTED,
						false),
				arguments(Verdict.REFUSED, Verdict.Retry.NEVER, Verdict.Scope.REQUEST, Verdict.ForNsps.REJECTED, false),
				arguments(Verdict.TIMED_OUT, Verdict.Retry.BACKOFF, Verdict.Scope.REQUEST,
						Verdict.ForNsps.CONNECTION_UNAVAILABLE, true),
				arguments(Verdict.CONNECTION_REFUSED, Verdict.Retry.BACKOFF, Verdict.Scope.REQUEST,
						Verdict.ForNsps.CONNECTION_UNAVAILABLE, false),
				arguments(Verdict.CONNECTION_LOST, Verdict.Retry.BACKOFF, Verdict.Scope.REQUEST,
						Verdict.ForNsps.CONNECTION_UNAVAILABLE, true),
				arguments(Verdict.UNCONFIRMED, Verdict.Retry.BACKOFF, Verdict.Scope.INPUT,
						Verdict.ForNsps.SERVICE_UNAVAILABLE, false));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("verdicts")
	void eachVerdictSaysWhatHappensNext(Verdict verdict, Verdict.Retry retry, Verdict.Scope scope,
			Verdict.ForNsps forNsps, boolean inDoubt) {
		assertThat(verdict.retry()).isEqualTo(retry);
		assertThat(verdict.scope()).isEqualTo(scope);
		assertThat(verdict.forNsps()).isEqualTo(forNsps);
		assertThat(verdict.inDoubt()).isEqualTo(inDoubt);
	}

	@Test
	void everyVerdictIsInTheTable() {
		assertThat(verdicts().map((row) -> row.get()[0])).containsExactlyInAnyOrder((Object[]) Verdict.values());
	}

	@Test
	void everyMissingPropertyHubSpotNamesLeadsTheTextThatNspsSees() {
		StringBuilder entries = new StringBuilder();
		for (String name : new String[] { "account_id", "has_add_ons", "sim_card_id", "imsi", "type" }) {
			entries.append((entries.length() > 0) ? "," : "")
				.append("{\\\"isValid\\\":false,\\\"message\\\":\\\"Property \\\\\\\"")
				.append(name)
				.append("\\\\\\\" does not exist\\\",\\\"error\\\":\\\"PROPERTY_DOESNT_EXIST\\\",\\\"name\\\":\\\"")
				.append(name)
				.append("\\\",\\\"localizedErrorMessage\\\":\\\"Property \\\\\\\"")
				.append(name)
				.append("\\\\\\\" does not exist, as HubSpot explains at length for every property\\\"}");
		}
		String body = "{\"status\":\"error\",\"message\":\"Property values were not valid: [" + entries
				+ "]\",\"correlationId\":\"x\",\"category\":\"VALIDATION_ERROR\"}";
		HubSpotError error = HubSpotErrors.parse(body.getBytes(StandardCharsets.UTF_8));
		assertThat(error.missingProperties()).containsExactly("account_id", "has_add_ons", "sim_card_id", "imsi",
				"type");
		// NSPS sees the first 300 characters: the names come first.
		assertThat(error.describe().substring(0, 120))
			.startsWith("HubSpot lacks the contact properties account_id, has_add_ons, sim_card_id, imsi, type: ");
	}

	private static String error(String message, String category) {
		return "{\"status\":\"error\",\"message\":\"" + message + "\",\"correlationId\":\"x\",\"category\":\""
				+ category + "\"}";
	}

	/** HubSpot's validation answer, its entries inside the message as a JSON string. */
	private static String invalid(String name, String code, String message) {
		return "{\"status\":\"error\",\"message\":\"Property values were not valid: [{\\\"isValid\\\":false,"
				+ "\\\"message\\\":\\\"" + message + "\\\",\\\"error\\\":\\\"" + code + "\\\",\\\"name\\\":\\\"" + name
				+ "\\\"}]\",\"correlationId\":\"x\",\"category\":\"VALIDATION_ERROR\"}";
	}

}
