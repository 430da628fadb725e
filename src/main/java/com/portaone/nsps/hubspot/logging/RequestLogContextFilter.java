package com.portaone.nsps.hubspot.logging;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Puts the request's trace id and NSPS's {@code x-request-id} (or new ids) on every log
 * line of the request, so that a line can be found from NSPS's Event History. With
 * tracing on, the trace and span ids are the server span's (whose trace continues NSPS's
 * {@code x-b3-traceid}); with it off, the trace id is {@code x-b3-traceid} itself. Runs
 * inside the server observation, so that its span is current. A plain filter, so Boot
 * applies it to requests only, not to their error pages.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestLogContextFilter extends HttpFilter {

	/** Header values end up in logs: only plain ids are taken over. */
	private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private final Tracer tracer;

	RequestLogContextFilter(ObjectProvider<Tracer> tracer) {
		this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
	}

	@Override
	protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Span span = (this.tracer != Tracer.NOOP) ? this.tracer.currentSpan() : null;
		if (span != null) {
			MDC.put(LogContext.TRACE_ID, span.context().traceId());
			MDC.put(LogContext.SPAN_ID, span.context().spanId());
		}
		else {
			MDC.put(LogContext.TRACE_ID, idOf(request, "x-b3-traceid"));
		}
		String requestId = idOf(request, "x-request-id");
		MDC.put(LogContext.REQUEST_ID, requestId);
		response.setHeader("x-request-id", requestId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.clear();
		}
	}

	/** The id from the header, if it is a plain one, or a new one. */
	private static String idOf(HttpServletRequest request, String header) {
		String value = request.getHeader(header);
		return (value != null && PLAIN_ID.matcher(value).matches()) ? value : newId();
	}

	/**
	 * A random version-4 UUID. It only finds log lines and guards nothing, so it is not
	 * drawn from {@code SecureRandom}, whose lock every request thread would contend for.
	 */
	private static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long most = (random.nextLong() & ~0xF000L) | 0x4000L;
		long least = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
		return new UUID(most, least).toString();
	}

}
