package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import com.portaone.nsps.hubspot.event.InvalidEventException;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.WebUtils;

/**
 * Turns failures into NSPS's JSON error answers. Nothing internal (class names, stack
 * traces) reaches a response body; the log has the details.
 */
@RestControllerAdvice
class InboundExceptionHandler {

	/** Failed events whose type could not be read. */
	private static final String UNKNOWN_TYPE = "unknown";

	private final ConnectorMetrics metrics;

	private final BodySizeLimitFilter bodyLimit;

	InboundExceptionHandler(ConnectorMetrics metrics, BodySizeLimitFilter bodyLimit) {
		this.metrics = metrics;
		this.bodyLimit = bodyLimit;
	}

	private static final Logger log = LoggerFactory.getLogger(InboundExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<Object> invalidEvent(InvalidEventException ex) {
		log.warn("Validation failed: {}", ex.getMessage());
		this.metrics.eventAnswered(UNKNOWN_TYPE, "invalid", Duration.ZERO);
		return NspsAnswers.invalid(ex.violations());
	}

	/** A body that grew past the limit while read: the rest is dropped, then 413. */
	@ExceptionHandler
	void tooLarge(BodySizeLimitFilter.BodyTooLargeException ex, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		BodySizeLimitFilter.CountedBodyRequest counted = WebUtils.getNativeRequest(request,
				BodySizeLimitFilter.CountedBodyRequest.class);
		this.bodyLimit.tooLarge((counted != null) ? counted.raw() : InputStream.nullInputStream(), response,
				request.getContentLengthLong());
	}

	@ExceptionHandler
	ResponseEntity<Object> methodNotAllowed(HttpRequestMethodNotSupportedException ex) {
		HttpHeaders headers = new HttpHeaders();
		headers.setAllow(ex.getSupportedHttpMethods());
		return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
			.headers(headers)
			.contentType(MediaType.APPLICATION_JSON)
			.body(NspsAnswers.METHOD_NOT_ALLOWED);
	}

	@ExceptionHandler({ NoResourceFoundException.class, NoHandlerFoundException.class })
	ResponseEntity<Object> notFound(Exception ex) {
		return NspsAnswers.json(HttpStatus.NOT_FOUND, NspsAnswers.NOT_FOUND);
	}

	@ExceptionHandler
	ResponseEntity<Object> unexpected(Exception ex) {
		log.error("Unexpected failure", ex);
		this.metrics.eventAnswered(UNKNOWN_TYPE, "error", Duration.ZERO);
		return NspsAnswers.json(HttpStatus.INTERNAL_SERVER_ERROR, NspsAnswers.INTERNAL);
	}

}
