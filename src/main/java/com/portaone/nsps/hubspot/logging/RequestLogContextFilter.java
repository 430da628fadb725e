package com.portaone.nsps.hubspot.logging;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts NSPS's {@code x-b3-traceid} and {@code x-request-id} (or new ids) on every log
 * line of the request, so that a line can be found from NSPS's Event History.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestLogContextFilter extends OncePerRequestFilter {

	/** Header values end up in logs: only plain ids are taken over. */
	private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		MDC.put(LogContext.TRACE_ID, idOf(request, LogContext.TRACE_ID, "x-b3-traceid"));
		String requestId = idOf(request, LogContext.REQUEST_ID, "x-request-id");
		MDC.put(LogContext.REQUEST_ID, requestId);
		response.setHeader("x-request-id", requestId);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.clear();
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	/**
	 * The id from the header, or a new one; kept on the request so that its async
	 * dispatch logs the same.
	 */
	private static String idOf(HttpServletRequest request, String name, String header) {
		String attribute = RequestLogContextFilter.class.getName() + "." + name;
		if (request.getAttribute(attribute) instanceof String id) {
			return id;
		}
		String value = request.getHeader(header);
		String id = (value != null && PLAIN_ID.matcher(value).matches()) ? value : newId();
		request.setAttribute(attribute, id);
		return id;
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
