package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

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

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * {@code POST /process-event}: one NSPS event per request, answered once HubSpot has
 * confirmed the write (202) or it is clear that it cannot now.
 * <p>
 * The body is read as bytes whatever its content type (form-encoded included), so that
 * anything that is not a JSON object is answered 422 with a reason rather than 415.
 */
@RestController
class NspsEventController {

	private static final Logger log = LoggerFactory.getLogger(NspsEventController.class);

	private final NspsEventReader reader;

	private final SyncEngine syncEngine;

	private final ConnectorMetrics metrics;

	NspsEventController(NspsEventReader reader, SyncEngine syncEngine, ConnectorMetrics metrics) {
		this.reader = reader;
		this.syncEngine = syncEngine;
		this.metrics = metrics;
	}

	@PostMapping(ApiTokenFilter.EVENT_PATH)
	CompletableFuture<ResponseEntity<Object>> processEvent(HttpServletRequest request) throws IOException {
		long received = System.nanoTime();
		NspsEvent event = this.reader.read(request.getInputStream().readAllBytes());
		LogContext.putEvent(event.eventId(), event.eventType());
		if (!event.isSupported()) {
			log.info("Unsupported event type ignored");
			this.metrics.eventAnswered(event.eventType(), "unsupported", Duration.ZERO);
			return CompletableFuture.completedFuture(NspsAnswers.unsupported(event.eventType()));
		}
		log.info("Event received");
		return this.syncEngine.submit(ContactMapping.toUpsert(event)).thenApply((outcome) -> {
			this.metrics.eventAnswered(event.eventType(), outcome.label(),
					Duration.ofNanos(System.nanoTime() - received));
			ResponseEntity<Object> answer = NspsAnswers.of(outcome);
			log.info("Event answered", kv("status", answer.getStatusCode().value()));
			return answer;
		});
	}

}
