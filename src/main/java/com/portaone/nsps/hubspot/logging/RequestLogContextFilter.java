package com.portaone.nsps.hubspot.logging;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
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
		MDC.put(LogContext.TRACE_ID, idOrNew(request.getHeader("x-b3-traceid")));
		String requestId = idOrNew(request.getHeader("x-request-id"));
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

	private static String idOrNew(@Nullable String header) {
		return (header != null && PLAIN_ID.matcher(header).matches()) ? header : UUID.randomUUID().toString();
	}

}
