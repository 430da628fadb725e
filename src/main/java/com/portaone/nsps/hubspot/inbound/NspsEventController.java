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
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

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
 */
@RestController
class NspsEventController {

	static final String EVENT_PATH = "/process-event";

	private static final Logger log = LoggerFactory.getLogger(NspsEventController.class);

	private final NspsEventReader reader;

	private final SyncEngine syncEngine;

	private final EventAdmission admission;

	private final ConnectorMetrics metrics;

	NspsEventController(NspsEventReader reader, SyncEngine syncEngine, EventAdmission admission,
			ConnectorMetrics metrics) {
		this.reader = reader;
		this.syncEngine = syncEngine;
		this.admission = admission;
		this.metrics = metrics;
	}

	/**
	 * A {@link DeferredResult} rather than a future: Spring MVC takes a future for a
	 * reactive type and adapts and subscribes to it for every event.
	 */
	@PostMapping(EVENT_PATH)
	DeferredResult<ResponseEntity<Object>> processEvent(HttpServletRequest request) throws IOException {
		long received = System.nanoTime();
		if (!this.admission.tryAdmit()) {
			log.warn("Event refused: {} events in flight, or as many bodies being read as threads allow",
					this.admission.limit());
			this.metrics.eventAnswered("unknown", "busy", Duration.ZERO);
			return answered(NspsAnswers.busy(this.admission.limit()));
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
				return answered(NspsAnswers.unsupported(event.eventType()));
			}
			log.info("Event received");
			CompletableFuture<ResponseEntity<Object>> answer = this.syncEngine.submit(ContactMapping.toUpsert(event))
				.thenApply((outcome) -> {
					this.metrics.eventAnswered(event.eventType(), outcome.label(),
							Duration.ofNanos(System.nanoTime() - received));
					ResponseEntity<Object> response = NspsAnswers.of(outcome);
					log.info("Event answered", kv("status", response.getStatusCode().value()));
					return response;
				});
			DeferredResult<ResponseEntity<Object>> result = new DeferredResult<>();
			answer.whenComplete((response, failure) -> {
				this.admission.release();
				if (failure != null) {
					result.setErrorResult((failure instanceof CompletionException) ? failure.getCause() : failure);
				}
				else {
					result.setResult(response);
				}
			});
			handedOver = true;
			return result;
		}
		finally {
			if (!handedOver) {
				this.admission.release();
			}
		}
	}

	private static DeferredResult<ResponseEntity<Object>> answered(ResponseEntity<Object> answer) {
		DeferredResult<ResponseEntity<Object>> result = new DeferredResult<>();
		result.setResult(answer);
		return result;
	}

}
