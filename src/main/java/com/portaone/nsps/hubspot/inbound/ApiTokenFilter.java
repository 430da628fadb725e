package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks NSPS's Bearer token before anything reads the body, so that rejected requests
 * cost nothing and never reach HubSpot. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, in time that does not depend on where they differ, and
 * every configured token is compared.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiTokenFilter extends OncePerRequestFilter {

	static final String EVENT_PATH = "/process-event";

	private static final Logger log = LoggerFactory.getLogger(ApiTokenFilter.class);

	private static final String BEARER = "Bearer ";

	private final List<byte[]> tokenDigests;

	private final ConnectorMetrics metrics;

	ApiTokenFilter(InboundSettings settings, ConnectorMetrics metrics) {
		this.metrics = metrics;
		this.tokenDigests = settings.tokens().stream().map(ApiTokenFilter::sha256).toList();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !EVENT_PATH.equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isAuthorized(request.getHeader(HttpHeaders.AUTHORIZATION))) {
			chain.doFilter(request, response);
			return;
		}
		log.warn("Request refused: missing or invalid API token");
		this.metrics.eventAnswered("unknown", "unauthorized", Duration.ZERO);
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		JsonAnswerWriter.write(response, HttpServletResponse.SC_UNAUTHORIZED, NspsAnswers.AUTHENTICATION_FAILED);
	}

	private boolean isAuthorized(@Nullable String authorization) {
		if (authorization == null || authorization.length() < BEARER.length()
				|| !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return false;
		}
		byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
		boolean matched = false;
		for (byte[] digest : this.tokenDigests) {
			matched |= MessageDigest.isEqual(digest, presented);
		}
		return matched;
	}

	private static byte[] sha256(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

}
