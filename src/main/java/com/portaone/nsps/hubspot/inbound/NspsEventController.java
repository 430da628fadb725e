package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.portaone.nsps.hubspot.event.ContactMapping;
import com.portaone.nsps.hubspot.event.NspsEvent;
import com.portaone.nsps.hubspot.event.NspsEventReader;
import com.portaone.nsps.hubspot.logging.LogContext;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.sync.SyncEngine;
import com.portaone.nsps.hubspot.sync.SyncOutcome;
import com.portaone.nsps.hubspot.sync.SyncSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * {@code POST /process-event}: one NSPS event per request, answered once HubSpot has
 * confirmed the write (202) or it is clear that it cannot now.
 * <p>
 * Past {@code MAX_EVENTS_IN_FLIGHT}, or while every request thread but those kept for
 * probes reads a body, an event is answered 429 before its body is read. The body is read
 * as bytes whatever its content type (form-encoded included), so that anything that is
 * not a JSON object is answered 422 with a reason rather than 415. It is parsed as it
 * streams in and never held whole: a waiting event holds only the properties it writes.
 * While it waits, the request holds no thread.
 */
@RestController
class NspsEventController {

	static final String EVENT_PATH = "/process-event";

	private static final Logger log = LoggerFactory.getLogger(NspsEventController.class);

	private final NspsEventReader reader;

	private final SyncEngine syncEngine;

	private final EventAdmission admission;

	private final ConnectorMetrics metrics;

	private final Duration answerBackstop;

	NspsEventController(NspsEventReader reader, SyncEngine syncEngine, EventAdmission admission,
			ConnectorMetrics metrics, InboundSettings settings, SyncSettings sync) {
		this.reader = reader;
		this.syncEngine = syncEngine;
		this.admission = admission;
		this.metrics = metrics;
		this.answerBackstop = sync.eventDeadline().plus(settings.answerBackstopMargin());
	}

	/**
	 * Answers at once what needs no sync (busy, an unsupported type; an invalid event is
	 * thrown to {@link InboundExceptionHandler}), else hands the request to an
	 * {@link EventAnswer} that the sync's outcome completes.
	 */
	@PostMapping(EVENT_PATH)
	void processEvent(HttpServletRequest request, HttpServletResponse response) throws IOException {
		long received = System.nanoTime();
		if (!this.admission.tryAdmit()) {
			log.warn("Event refused: {} events in flight, or as many bodies being read as threads allow",
					this.admission.limit());
			this.metrics.eventAnswered("unknown", "busy", Duration.ZERO);
			JsonAnswerWriter.write(response, NspsAnswers.busy(this.admission.limit()));
			return;
		}
		boolean handedOver = false;
		try {
			NspsEvent event;
			try {
				event = this.reader.read(request.getInputStream());
			}
			finally {
				this.admission.doneReading();
			}
			LogContext.putEvent(event.eventId(), event.eventType());
			if (!event.isSupported()) {
				log.info("Unsupported event type ignored");
				this.metrics.eventAnswered(event.eventType(), "unsupported", Duration.ZERO);
				JsonAnswerWriter.write(response, NspsAnswers.unsupported(event.eventType()));
				return;
			}
			log.info("Event received");
			EventAnswer answer = EventAnswer.start(request, response, this.answerBackstop);
			handedOver = true;
			submit(event).whenComplete((result, failure) -> {
				this.admission.release();
				answer.send(answerTo(event, received, result, failure));
			});
		}
		finally {
			if (!handedOver) {
				this.admission.release();
			}
		}
	}

	/** The sync's outcome; a failure to submit is one too, answered as any other. */
	private CompletableFuture<SyncOutcome> submit(NspsEvent event) {
		try {
			return this.syncEngine.submit(ContactMapping.toUpsert(event));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/** The answer to the event; one that cannot be told (a failure here too) is a 500. */
	private ResponseEntity<Object> answerTo(NspsEvent event, long received, @Nullable SyncOutcome outcome,
			@Nullable Throwable failure) {
		try {
			return answerOf(event, received, outcome, failure);
		}
		catch (RuntimeException ex) {
			log.error("Unexpected failure", ex);
			return NspsAnswers.json(HttpStatus.INTERNAL_SERVER_ERROR, NspsAnswers.INTERNAL);
		}
	}

	private ResponseEntity<Object> answerOf(NspsEvent event, long received, @Nullable SyncOutcome outcome,
			@Nullable Throwable failure) {
		Duration took = Duration.ofNanos(System.nanoTime() - received);
		if (outcome == null) {
			log.error("Unexpected failure", (failure instanceof CompletionException) ? failure.getCause() : failure);
			this.metrics.eventAnswered(event.eventType(), "error", took);
			return NspsAnswers.json(HttpStatus.INTERNAL_SERVER_ERROR, NspsAnswers.INTERNAL);
		}
		this.metrics.eventAnswered(event.eventType(), outcome.label(), took);
		ResponseEntity<Object> answer = NspsAnswers.of(outcome);
		log.info("Event answered", kv("status", answer.getStatusCode().value()));
		return answer;
	}

}
