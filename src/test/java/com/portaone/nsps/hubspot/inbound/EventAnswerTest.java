package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * When an event's answer is written: one table of what happens to a request, in order,
 * and the answer it ends with.
 */
class EventAnswerTest {

	static Stream<Arguments> sequences() {
		return Stream.of(
				// The outcome after the request thread is out: written and completed at
				// once.
				Arguments.of(List.of("out", "accepted"), "202 accepted", List.of(true)),
				// Before: it waits for the request thread, which writes it.
				Arguments.of(List.of("accepted"), "none", List.of(true)),
				Arguments.of(List.of("accepted", "out"), "202 accepted", List.of(true)),
				// One answer only.
				Arguments.of(List.of("out", "accepted", "failed"), "202 accepted", List.of(true, false)),
				Arguments.of(List.of("accepted", "failed", "out"), "202 accepted", List.of(true, false)),
				// The backstop answers 503; a later outcome finds the request over.
				Arguments.of(List.of("out", "timeout", "accepted"), "503 not answered in time", List.of(false)),
				Arguments.of(List.of("out", "accepted", "timeout"), "202 accepted", List.of(true)),
				// The client went away, or the container ended the request: nothing is
				// written to a response Tomcat reuses.
				Arguments.of(List.of("out", "error", "accepted"), "none", List.of(false)),
				Arguments.of(List.of("accepted", "error", "out"), "none", List.of(true)),
				Arguments.of(List.of("out", "complete", "accepted"), "none", List.of(false)),
				// The request thread left the filters by an exception: Tomcat answers it,
				// and no outcome, before or after, is written over that.
				Arguments.of(List.of("accepted", "threw"), "none", List.of(true)),
				Arguments.of(List.of("threw", "accepted"), "none", List.of(false)));
	}

	@ParameterizedTest(name = "{0} → {1}")
	@MethodSource("sequences")
	void anAnswerIsWrittenOnceAndNeverAfterTheRequestIsOver(List<String> steps, String written,
			List<Boolean> sendsTaken) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/process-event");
		request.setAsyncSupported(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		EventAnswer answer = EventAnswer.start(request, response, Duration.ofMinutes(2));
		MockAsyncContext context = (MockAsyncContext) request.getAsyncContext();
		List<Boolean> taken = new ArrayList<>();
		for (String step : steps) {
			switch (step) {
				case "out" -> EventAnswer.requestThreadOut(request);
				case "threw" -> EventAnswer.requestThreadThrew(request);
				case "accepted" -> taken.add(answer.send(NspsAnswers.accepted()));
				case "failed" ->
					taken.add(answer.send(NspsAnswers.json(HttpStatus.INTERNAL_SERVER_ERROR, NspsAnswers.INTERNAL)));
				case "timeout" -> fire(context, (listener) -> listener.onTimeout(event(context)));
				case "error" -> fire(context, (listener) -> listener.onError(event(context)));
				case "complete" -> context.complete();
				default -> throw new IllegalArgumentException(step);
			}
		}
		assertThat(taken).as("whether each outcome was taken as the answer").isEqualTo(sendsTaken);
		assertThat(describe(response)).isEqualTo(written);
		if (!written.equals("none")) {
			assertThat(request.isAsyncStarted()).as("completed").isFalse();
		}
	}

	@ParameterizedTest(name = "request thread throws: {0}")
	@ValueSource(booleans = { false, true })
	void theFilterWritesAnEarlyAnswerUnlessAnExceptionLeavesWithTheRequestThread(boolean throwing) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/process-event");
		request.setAsyncSupported(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		FilterChain inner = (req, res) -> {
			EventAnswer.start(request, response, Duration.ofMinutes(2)).send(NspsAnswers.accepted());
			if (throwing) {
				throw new IllegalStateException("a filter failed on its way out");
			}
		};
		ThrowingCallable filtering = () -> new EventAnswerFilter().doFilter(request, response, inner);
		if (throwing) {
			assertThatIllegalStateException().isThrownBy(filtering);
		}
		else {
			assertThatNoException().isThrownBy(filtering);
		}
		assertThat(describe(response)).isEqualTo(throwing ? "none" : "202 accepted");
	}

	private static String describe(MockHttpServletResponse response) {
		try {
			String body = response.getContentAsString();
			if (body.isEmpty()) {
				return "none";
			}
			if (body.contains("Event accepted for processing")) {
				return response.getStatus() + " accepted";
			}
			if (body.contains("not answered in time")) {
				return response.getStatus() + " not answered in time";
			}
			return response.getStatus() + " " + body;
		}
		catch (UnsupportedEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private interface ListenerCall {

		void on(AsyncListener listener) throws IOException;

	}

	private static void fire(MockAsyncContext context, ListenerCall call) {
		Consumer<AsyncListener> each = (listener) -> {
			try {
				call.on(listener);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		};
		List.copyOf(context.getListeners()).forEach(each);
	}

	private static AsyncEvent event(MockAsyncContext context) {
		return new AsyncEvent(context, context.getRequest(), context.getResponse());
	}

}
