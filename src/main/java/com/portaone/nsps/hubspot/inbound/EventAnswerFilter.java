package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Outside the other filters: tells a request's {@link EventAnswer} that the request
 * thread is out of them, so that an answer that came before is written now, unless an
 * exception is on its way to Tomcat, which answers that instead. (Boot's character
 * encoding filter shares this order; on its way out it does nothing.)
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class EventAnswerFilter extends HttpFilter {

	@Override
	protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		try {
			chain.doFilter(request, response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			EventAnswer.requestThreadThrew(request);
			throw ex;
		}
		EventAnswer.requestThreadOut(request);
	}

}
