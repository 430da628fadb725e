package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.event.NspsEventReader;
import com.portaone.nsps.hubspot.sync.SyncEngine;
import com.portaone.nsps.hubspot.sync.SyncSettings;
import com.portaone.nsps.hubspot.sync.SyncOutcome;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The inbound contract of SPEC section 1, through the real filters, controller and
 * exception handler, with the sync engine mocked.
 */
@WebMvcTest
// The slice leaves out @ConfigurationProperties records and non-web components.
@EnableConfigurationProperties({ InboundSettings.class, SyncSettings.class })
@Import({ InboundSecurity.class, EventAdmission.class, NspsEventReader.class, ConnectorMetrics.class,
		SimpleMeterRegistry.class, ApplicationAvailabilityBean.class })
class NspsEventControllerTest {

	static final String TOKEN = "test-api-token";

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private SyncEngine syncEngine;

	@Autowired
	private SyncSettings sync;

	@Autowired
	private InboundSettings inbound;

	@Test
	void healthIsPublicJson() throws Exception {
		this.mvc.perform(get("/health"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.status").value("ok"))
			.andExpect(jsonPath("$.uptime_seconds").value(greaterThanOrEqualTo(0)));
		verifyNoInteractions(this.syncEngine);
	}

	@Test
	void syncedEventIsAcceptedAfterTheEngineAnswers() throws Exception {
		CompletableFuture<SyncOutcome> outcome = new CompletableFuture<>();
		given(this.syncEngine.submit(any())).willReturn(outcome);
		MvcResult started = this.mvc.perform(postEvent(event("sim-created")))
			.andExpect(request().asyncStarted())
			.andReturn();
		assertThat(started.getResponse().getContentAsString()).isEmpty();
		assertThat(started.getRequest().getAsyncContext().getTimeout()).as("backstop")
			.isEqualTo(this.sync.eventDeadline().plus(this.inbound.answerBackstopMargin()).toMillis());
		outcome.complete(new SyncOutcome.Synced());
		assertThat(started.getRequest().isAsyncStarted()).as("completed").isFalse();
		MockHttpServletResponse answer = started.getResponse();
		assertThat(answer.getStatus()).isEqualTo(202);
		assertThat(answer.getContentType()).isEqualTo(MediaType.APPLICATION_JSON_VALUE);
		assertThat(answer.getContentAsString()).isEqualTo("{\"message\":\"Event accepted for processing\"}");
		// The answer, written on the thread that has the outcome, carries the request's
		// id.
		assertThat(answer.getHeader("x-request-id")).isNotBlank();
		ArgumentCaptor<ContactUpsert> upsert = ArgumentCaptor.forClass(ContactUpsert.class);
		verify(this.syncEngine).submit(upsert.capture());
		assertThat(upsert.getValue().eventId()).isEqualTo("6f1c2a4e-1d0b-4a51-9a53-0c2f1e7b9d01");
		assertThat(upsert.getValue().eventType()).isEqualTo("SIM/Created");
		assertThat(upsert.getValue().email()).isEqualTo("olena.koval@example.com");
		assertThat(upsert.getValue().properties()).containsEntry("email", "olena.koval@example.com")
			.containsEntry("firstname", "Olena")
			.containsEntry("lastname", "Koval")
			.containsEntry("phone", "5551234567")
			.containsEntry("account_id", "277147")
			.containsEntry("has_add_ons", "true")
			.containsEntry("sim_card_id", "3793")
			.containsEntry("imsi", "001010000020349")
			.containsEntry("type", "CREDIT ACCOUNT")
			.hasSize(9);
	}

	@Test
	void simUpdatedIsAcceptedToo() throws Exception {
		given(this.syncEngine.submit(any())).willReturn(synced());
		send(this.mvc, postEvent(event("sim-updated"))).andExpect(status().isAccepted())
			.andExpect(jsonPath("$.message").value("Event accepted for processing"));
		verify(this.syncEngine).submit(any());
	}

	@Test
	void unsupportedEventTypeIsAnswered200WithoutSyncing() throws Exception {
		send(this.mvc, postEvent(event("sim-deleted"))).andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Unsupported event type: SIM/Deleted"));
		verifyNoInteractions(this.syncEngine);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Basic dGVzdC1hcGktdG9rZW4=", "Bearer wrong-token", "Bearer ", "Bearer",
			"test-api-token", "Bearer test-api-token-and-more" })
	void missingOrWrongTokenIsRefused(String authorization) throws Exception {
		given(this.syncEngine.submit(any())).willReturn(synced());
		MockHttpServletRequestBuilder request = post("/process-event").contentType(MediaType.APPLICATION_JSON)
			.content(event("sim-created"));
		if (!authorization.isEmpty()) {
			request.header(HttpHeaders.AUTHORIZATION, authorization);
		}
		send(this.mvc, request).andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Authentication failed"))
			.andExpect(jsonPath("$.error").value("Invalid API token"))
			.andExpect(jsonPath("$.type").value("AUTHENTICATION_ERROR"));
		verifyNoInteractions(this.syncEngine);
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET", "PUT", "DELETE", "PATCH" })
	void otherMethodsThanPostAreNotAllowed(String method) throws Exception {
		send(this.mvc,
				request(HttpMethod.valueOf(method), "/process-event")
					.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
					.contentType(MediaType.APPLICATION_JSON)
					.content(event("sim-created")))
			.andExpect(status().isMethodNotAllowed())
			.andExpect(header().string(HttpHeaders.ALLOW, containsString("POST")))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Method not allowed"))
			.andExpect(jsonPath("$.error").value("Method not allowed"))
			.andExpect(jsonPath("$.type").value("VALIDATION_ERROR"));
		verifyNoInteractions(this.syncEngine);
	}

	@ParameterizedTest
	@CsvSource({ "GET, /nowhere", "POST, /process-events", "GET, /process-event/extra" })
	void unknownPathIsNotFound(String method, String path) throws Exception {
		send(this.mvc,
				request(HttpMethod.valueOf(method), path).header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
					.contentType(MediaType.APPLICATION_JSON)
					.content(event("sim-created")))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Resource not found"))
			.andExpect(jsonPath("$.error").value("Not found"))
			.andExpect(jsonPath("$.type").value("VALIDATION_ERROR"));
		verifyNoInteractions(this.syncEngine);
	}

	static Stream<Arguments> invalidBodies() throws IOException {
		return Stream.of(Arguments.of("application/json", "{\"event_id\": ", "body"),
				Arguments.of("application/json", "", "body"),
				Arguments.of("application/json", "[" + event("sim-created") + "]", "body"),
				Arguments.of("application/json", "\"SIM/Created\"", "body"),
				Arguments.of("application/x-www-form-urlencoded", "event_id=1&data.event_type=SIM%2FCreated", "body"),
				Arguments.of("application/xml",
						"<event><event_id>1</event_id><data><event_type>SIM/Created</event_type></data></event>",
						"body"),
				Arguments.of("application/json", event("sim-created-missing-lastname"),
						"pb_data.account_info.lastname"),
				Arguments.of("application/json", event("sim-created-bad-imsi"), "pb_data.sim_info.imsi"),
				Arguments.of("application/json", event("malformed-no-pb-data"), "pb_data"));
	}

	@ParameterizedTest
	@MethodSource("invalidBodies")
	void invalidEventIsRefusedNamingTheField(String contentType, String body, String field) throws Exception {
		send(this.mvc, postEvent(body).contentType(contentType)).andExpect(status().isUnprocessableContent())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Validation failed"))
			.andExpect(jsonPath("$.error").value(containsString(field)))
			.andExpect(jsonPath("$.type").value("VALIDATION_ERROR"))
			.andExpect(jsonPath("$.details[*].field").value(hasItem(startsWith(field))))
			.andExpect(jsonPath("$.details[*].message").value(hasItem(not(emptyString()))));
		verifyNoInteractions(this.syncEngine);
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "application/xml" })
	void validEventIsReadWhateverItsContentType(String contentType) throws Exception {
		given(this.syncEngine.submit(any())).willReturn(synced());
		send(this.mvc, postEvent(event("sim-created")).contentType(contentType)).andExpect(status().isAccepted())
			.andExpect(jsonPath("$.message").value("Event accepted for processing"));
		verify(this.syncEngine).submit(any());
	}

	@Test
	void everyBadFieldIsNamed() throws Exception {
		String body = event("sim-created").replace("\"001010000020349\"", "\"12\"")
			.replace("\"5551234567\"", "\"555\"")
			.replace("\"i_sim_card\": 3793", "\"i_sim_card\": \"abc\"");
		send(this.mvc, postEvent(body)).andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.type").value("VALIDATION_ERROR"))
			.andExpect(jsonPath("$.error").value(allOf(containsString("pb_data.sim_info.imsi"),
					containsString("pb_data.account_info.phone1"), containsString("pb_data.sim_info.i_sim_card"))))
			.andExpect(jsonPath("$.details", hasSize(3)));
		verifyNoInteractions(this.syncEngine);
	}

	@Test
	void bodyOverTheDefaultLimitIsRefusedAndDrained() throws Exception {
		byte[] body = new byte[2 * 1024 * 1024 + 1];
		Arrays.fill(body, (byte) ' ');
		MvcResult result = send(this.mvc, postEvent("").content(body)).andExpect(status().isContentTooLarge())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").isString())
			.andExpect(jsonPath("$.error").isString())
			.andExpect(jsonPath("$.type").value("VALIDATION_ERROR"))
			.andReturn();
		// The sender must see the 413, so the body is read to its end rather than left
		// unread.
		assertThat(result.getRequest().getInputStream().read()).isEqualTo(-1);
		verifyNoInteractions(this.syncEngine);
	}

	@Test
	void bodyAtTheDefaultLimitIsRead() throws Exception {
		String event = event("sim-created");
		byte[] body = new byte[2 * 1024 * 1024];
		Arrays.fill(body, (byte) ' ');
		System.arraycopy(event.getBytes(StandardCharsets.UTF_8), 0, body, 0, event.length());
		given(this.syncEngine.submit(any())).willReturn(synced());
		send(this.mvc, postEvent("").content(body)).andExpect(status().isAccepted());
	}

	@ParameterizedTest
	@CsvSource({ "1500, 2", "200, 1", "0, 1", "3000, 3", "59001, 60" })
	void rateLimitedIsAnswered429WithRetryAfter(long retryAfterMillis, String retryAfterSeconds) throws Exception {
		given(this.syncEngine.submit(any())).willReturn(CompletableFuture.completedFuture(
				new SyncOutcome.RateLimited("HubSpot request budget exhausted", Duration.ofMillis(retryAfterMillis))));
		send(this.mvc, postEvent(event("sim-created"))).andExpect(status().isTooManyRequests())
			.andExpect(header().string(HttpHeaders.RETRY_AFTER, retryAfterSeconds))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Too many requests to ES"))
			.andExpect(jsonPath("$.error").value("HubSpot request budget exhausted"))
			.andExpect(jsonPath("$.type").value("RATE_LIMIT_ERROR"));
	}

	@Test
	void hubSpotRejectionIsAnswered400WithHubSpotsMessage() throws Exception {
		String hubSpotMessage = "Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"imsi\\\" "
				+ "does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"imsi\"}]";
		given(this.syncEngine.submit(any()))
			.willReturn(CompletableFuture.completedFuture(new SyncOutcome.Rejected(400, hubSpotMessage)));
		send(this.mvc, postEvent(event("sim-created"))).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Client error: 400"))
			.andExpect(jsonPath("$.error").value(hubSpotMessage))
			.andExpect(jsonPath("$.type").value("SERVICE_ERROR"));
	}

	@Test
	void hubSpotFailureIsAnswered503ServiceError() throws Exception {
		given(this.syncEngine.submit(any())).willReturn(CompletableFuture.completedFuture(
				new SyncOutcome.Unavailable(SyncOutcome.Cause.SERVICE, "HubSpot answered 502 after 3 retries")));
		send(this.mvc, postEvent(event("sim-created"))).andExpect(status().isServiceUnavailable())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("ES request failed"))
			.andExpect(jsonPath("$.error").value("HubSpot answered 502 after 3 retries"))
			.andExpect(jsonPath("$.type").value("SERVICE_ERROR"));
	}

	@Test
	void hubSpotUnreachableIsAnswered503ConnectionError() throws Exception {
		given(this.syncEngine.submit(any())).willReturn(CompletableFuture.completedFuture(
				new SyncOutcome.Unavailable(SyncOutcome.Cause.CONNECTION, "HubSpot timed out after 3 retries")));
		send(this.mvc, postEvent(event("sim-created"))).andExpect(status().isServiceUnavailable())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("ES request failed"))
			.andExpect(jsonPath("$.error").value("HubSpot timed out after 3 retries"))
			.andExpect(jsonPath("$.type").value("CONNECTION_ERROR"));
	}

	@Test
	void engineFailingLaterIsAnswered500WithoutInternals() throws Exception {
		given(this.syncEngine.submit(any()))
			.willReturn(CompletableFuture.failedFuture(new IllegalStateException("boom at com.example.Secret")));
		expectInternalError(send(this.mvc, postEvent(event("sim-created"))));
	}

	@Test
	void engineThrowingIsAnswered500WithoutInternals() throws Exception {
		given(this.syncEngine.submit(any())).willThrow(new RuntimeException("boom at com.example.Secret"));
		expectInternalError(send(this.mvc, postEvent(event("sim-created"))));
	}

	private static void expectInternalError(ResultActions answer) throws Exception {
		String body = answer.andExpect(status().isInternalServerError())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Internal server error"))
			.andExpect(jsonPath("$.error").isString())
			.andExpect(jsonPath("$.type").value("INTERNAL_ERROR"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(body).doesNotContain("Exception", "boom", "at com.", "Secret", "trace");
	}

	@Test
	void requestIdIsEchoed() throws Exception {
		given(this.syncEngine.submit(any())).willReturn(synced());
		send(this.mvc, postEvent(event("sim-created")).header("x-request-id", "nsps-req-42"))
			.andExpect(status().isAccepted())
			.andExpect(header().string("x-request-id", "nsps-req-42"));
	}

	@Test
	void requestIdIsEchoedOnRefusalsToo() throws Exception {
		send(this.mvc,
				post("/process-event").header("x-request-id", "nsps-req-43")
					.contentType(MediaType.APPLICATION_JSON)
					.content(event("sim-created")))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("x-request-id", "nsps-req-43"));
	}

	@Test
	void requestIdIsGeneratedWhenAbsent() throws Exception {
		given(this.syncEngine.submit(any())).willReturn(synced());
		String first = send(this.mvc, postEvent(event("sim-created"))).andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getHeader("x-request-id");
		String second = send(this.mvc, postEvent(event("sim-created"))).andReturn()
			.getResponse()
			.getHeader("x-request-id");
		assertThat(first).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
		assertThat(second).isNotEqualTo(first);
	}

	@Test
	void acceptXmlStillGetsJson() throws Exception {
		given(this.syncEngine.submit(any())).willReturn(synced());
		send(this.mvc, postEvent(event("sim-created")).accept(MediaType.APPLICATION_XML))
			.andExpect(status().isAccepted())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.message").value("Event accepted for processing"));
	}

	@Test
	void acceptXmlStillGetsJsonErrors() throws Exception {
		send(this.mvc, postEvent(event("sim-created-bad-imsi")).accept(MediaType.APPLICATION_XML))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.type").value("VALIDATION_ERROR"));
	}

	/** API_TOKEN with two tokens, as during a rotation. */
	@Nested
	@TestPropertySource(properties = "API_TOKEN=old-token, new-token")
	class RotatedTokens {

		@Autowired
		private MockMvc mvc;

		@Autowired
		private SyncEngine syncEngine;

		@ParameterizedTest
		@ValueSource(strings = { "old-token", "new-token" })
		void eachTokenIsAccepted(String token) throws Exception {
			given(this.syncEngine.submit(any())).willReturn(synced());
			send(this.mvc,
					post("/process-event").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
						.contentType(MediaType.APPLICATION_JSON)
						.content(event("sim-created")))
				.andExpect(status().isAccepted())
				.andExpect(jsonPath("$.message").value("Event accepted for processing"));
			verify(this.syncEngine).submit(any());
		}

		@ParameterizedTest
		@ValueSource(strings = { "test-api-token", "old-token, new-token", "old-token,new-token", "new" })
		void otherTokensAreRefused(String token) throws Exception {
			send(this.mvc,
					post("/process-event").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
						.contentType(MediaType.APPLICATION_JSON)
						.content(event("sim-created")))
				.andExpect(status().isUnauthorized())
				.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"))
				.andExpect(jsonPath("$.type").value("AUTHENTICATION_ERROR"));
			verifyNoInteractions(this.syncEngine);
		}

	}

	/** A small MAX_BODY_SIZE, with and without a declared Content-Length. */
	@Nested
	@TestPropertySource(properties = "MAX_BODY_SIZE=1KB")
	@Import(UndeclaredLength.class)
	class SmallBodyLimit {

		private static final String SMALL_EVENT = """
				{"event_id":"e-1","data":{"event_type":"SIM/Updated"},
				 "pb_data":{"account_info":{"email":"olena.koval@example.com"}}}""";

		@Autowired
		private MockMvc mvc;

		@Autowired
		private SyncEngine syncEngine;

		@ParameterizedTest
		@ValueSource(booleans = { false, true })
		void largerBodyIsRefused(boolean undeclaredLength) throws Exception {
			String body = event("sim-created");
			assertThat(body.length()).isGreaterThan(1024);
			MvcResult result = send(this.mvc, postEvent(body).header(UndeclaredLength.HEADER, undeclaredLength))
				.andExpect(status().isContentTooLarge())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
				.andExpect(jsonPath("$.message").isString())
				.andExpect(jsonPath("$.error").value(containsString("1024")))
				.andExpect(jsonPath("$.type").value("VALIDATION_ERROR"))
				.andReturn();
			assertThat(result.getRequest().getInputStream().read()).isEqualTo(-1);
			verifyNoInteractions(this.syncEngine);
		}

		@ParameterizedTest
		@ValueSource(booleans = { false, true })
		void smallerBodyIsRead(boolean undeclaredLength) throws Exception {
			given(this.syncEngine.submit(any())).willReturn(synced());
			send(this.mvc, postEvent(SMALL_EVENT).header(UndeclaredLength.HEADER, undeclaredLength))
				.andExpect(status().isAccepted())
				.andExpect(jsonPath("$.message").value("Event accepted for processing"));
			verify(this.syncEngine).submit(any());
		}

	}

	/**
	 * An outcome that comes while the request thread is still on its way out through the
	 * filters: nothing is written until it is out of them all.
	 */
	@Nested
	@Import(OnTheWayOut.class)
	class OutcomeWhileInTheFilters {

		@Autowired
		private MockMvc mvc;

		@Autowired
		private SyncEngine syncEngine;

		@Autowired
		private OnTheWayOut filter;

		@Test
		void isWrittenOnceTheRequestThreadIsOut() throws Exception {
			CompletableFuture<SyncOutcome> outcome = new CompletableFuture<>();
			given(this.syncEngine.submit(any())).willReturn(outcome);
			this.filter.onTheWayOut = () -> {
				Thread worker = new Thread(() -> outcome.complete(new SyncOutcome.Synced()));
				worker.start();
				worker.join();
			};
			MvcResult result = this.mvc.perform(postEvent(event("sim-created"))).andReturn();
			assertThat(outcome).isCompleted();
			assertThat(this.filter.seen).isEqualTo("status 200, 0 bytes");
			assertThat(result.getRequest().isAsyncStarted()).as("completed").isFalse();
			assertThat(result.getResponse().getStatus()).isEqualTo(202);
			assertThat(result.getResponse().getContentAsString()).contains("Event accepted for processing");
		}

	}

	/**
	 * A failure while the answer is told (here, in counting it) is answered 500 at once,
	 * not left to the backstop.
	 */
	@Nested
	class FailureWhileAnswering {

		@Autowired
		private MockMvc mvc;

		@Autowired
		private SyncEngine syncEngine;

		@MockitoBean
		private ConnectorMetrics metrics;

		@Test
		void isAnswered500() throws Exception {
			CompletableFuture<SyncOutcome> outcome = new CompletableFuture<>();
			given(this.syncEngine.submit(any())).willReturn(outcome);
			willThrow(new IllegalStateException("boom at com.example.Secret")).given(this.metrics)
				.eventAnswered(anyString(), anyString(), any());
			MvcResult started = this.mvc.perform(postEvent(event("sim-created")))
				.andExpect(request().asyncStarted())
				.andReturn();
			outcome.complete(new SyncOutcome.Synced());
			assertThat(started.getRequest().isAsyncStarted()).as("completed").isFalse();
			assertThat(started.getResponse().getStatus()).isEqualTo(500);
			assertThat(started.getResponse().getContentAsString()).contains("INTERNAL_ERROR").doesNotContain("boom");
		}

	}

	/**
	 * Just inside the outermost filters: runs a step on its way out, then notes the
	 * response.
	 */
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	static class OnTheWayOut extends OncePerRequestFilter {

		interface Step {

			void run() throws Exception;

		}

		volatile Step onTheWayOut = () -> {
		};

		volatile String seen = "";

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			chain.doFilter(request, response);
			try {
				this.onTheWayOut.run();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			MockHttpServletResponse mock = WebUtils.getNativeResponse(response, MockHttpServletResponse.class);
			this.seen = "status " + mock.getStatus() + ", " + mock.getContentAsByteArray().length + " bytes";
		}

	}

	/**
	 * MockMvc always declares the content length; this hides it, as a chunked request
	 * would, when the test asks for it.
	 */
	@Order(Ordered.HIGHEST_PRECEDENCE + 15)
	static class UndeclaredLength extends OncePerRequestFilter {

		static final String HEADER = "x-test-undeclared-length";

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (!Boolean.parseBoolean(request.getHeader(HEADER))) {
				chain.doFilter(request, response);
				return;
			}
			chain.doFilter(new HttpServletRequestWrapper(request) {

				@Override
				public int getContentLength() {
					return -1;
				}

				@Override
				public long getContentLengthLong() {
					return -1;
				}

				@Override
				public String getHeader(String name) {
					return HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name) ? null : super.getHeader(name);
				}

			}, response);
		}

	}

	static MockHttpServletRequestBuilder postEvent(String body) {
		return post("/process-event").header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body);
	}

	/** Sends the request; an event whose outcome is known already is answered at once. */
	static ResultActions send(MockMvc mvc, MockHttpServletRequestBuilder request) throws Exception {
		ResultActions actions = mvc.perform(request);
		assertThat(actions.andReturn().getRequest().isAsyncStarted()).as("answered").isFalse();
		return actions;
	}

	/**
	 * The result once its answer is written: an event waiting for HubSpot is answered on
	 * another thread, which then completes the request.
	 */
	static MvcResult answered(MvcResult result) {
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(1))
			.atMost(Duration.ofSeconds(60))
			.until(() -> !result.getRequest().isAsyncStarted());
		return result;
	}

	static String event(String name) throws IOException {
		return Files.readString(Path.of("src/test/resources/nsps/events", name + ".json"));
	}

	static CompletableFuture<SyncOutcome> synced() {
		return CompletableFuture.completedFuture(new SyncOutcome.Synced());
	}

}
