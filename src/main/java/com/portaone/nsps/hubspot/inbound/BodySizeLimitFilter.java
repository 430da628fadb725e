package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

/**
 * Holds every request's body to {@code MAX_BODY_SIZE}, on every path, whether or not it
 * declares its length. It runs after authentication, so an unauthenticated body is never
 * read. A declared length over the limit is answered 413 at once. The event endpoint
 * reads its body through a stream that counts as it reads, so nothing is buffered here;
 * any other path takes no body, so one sent there is read and dropped up to the limit. A
 * body found too large is read on and dropped up to a bound, so that the sender receives
 * the 413 instead of a reset connection. A plain filter, so Boot applies it to requests
 * only, not to their error pages.
 */
@Component
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10)
class BodySizeLimitFilter extends HttpFilter {

	private static final Logger log = LoggerFactory.getLogger(BodySizeLimitFilter.class);

	/** The event endpoint, matched on the path as Spring routes it. */
	private static final RequestMatcher EVENT_PATH = PathPatternRequestMatcher.withDefaults()
		.matcher(NspsEventController.EVENT_PATH);

	private final long maxBodySize;

	private final long maxDiscardedBodySize;

	private final ConnectorMetrics metrics;

	BodySizeLimitFilter(InboundSettings settings, ConnectorMetrics metrics) {
		this.metrics = metrics;
		this.maxBodySize = settings.maxBodySize().toBytes();
		this.maxDiscardedBodySize = settings.maxDiscardedBodySize().toBytes();
	}

	@Override
	protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared > this.maxBodySize) {
			tooLarge(request.getInputStream(), response, declared);
			return;
		}
		if (EVENT_PATH.matches(request)) {
			chain.doFilter(new CountedBodyRequest(request, this.maxBodySize), response);
			return;
		}
		if (declared > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
			InputStream in = request.getInputStream();
			if (in.skip(this.maxBodySize + 1) > this.maxBodySize) {
				tooLarge(in, response, declared);
				return;
			}
		}
		chain.doFilter(request, response);
	}

	/** Reads on and drops a too-large body up to the bound, then answers 413. */
	void tooLarge(InputStream in, HttpServletResponse response, long declared) throws IOException {
		long discarded = in.skip(this.maxDiscardedBodySize);
		log.warn("Request body over the limit of {} bytes ({} bytes declared, {} more dropped)", this.maxBodySize,
				declared, discarded);
		this.metrics.eventAnswered("unknown", "too_large", Duration.ZERO);
		response.setHeader("Connection", "close");
		JsonAnswerWriter.write(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
				NspsAnswers.tooLarge(this.maxBodySize));
	}

	/** The body grew past the limit while it was read. */
	static final class BodyTooLargeException extends IOException {

		BodyTooLargeException(long limit) {
			super("The request body exceeds the limit of " + limit + " bytes");
		}

	}

	/**
	 * The request with a body stream that fails once more than the limit has been read.
	 */
	static final class CountedBodyRequest extends HttpServletRequestWrapper {

		private final long limit;

		private final ServletInputStream raw;

		private final ServletInputStream counted;

		CountedBodyRequest(HttpServletRequest request, long limit) throws IOException {
			super(request);
			this.limit = limit;
			this.raw = request.getInputStream();
			this.counted = new CountedStream();
		}

		@Override
		public ServletInputStream getInputStream() {
			return this.counted;
		}

		/** The body as received, past the limit, for dropping what is left of it. */
		InputStream raw() {
			return this.raw;
		}

		private final class CountedStream extends ServletInputStream {

			private long count;

			@Override
			public int read() throws IOException {
				int read = CountedBodyRequest.this.raw.read();
				if (read >= 0) {
					counted(1);
				}
				return read;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				int read = CountedBodyRequest.this.raw.read(buffer, offset, length);
				if (read > 0) {
					counted(read);
				}
				return read;
			}

			private void counted(int bytes) throws BodyTooLargeException {
				this.count += bytes;
				if (this.count > CountedBodyRequest.this.limit) {
					throw new BodyTooLargeException(CountedBodyRequest.this.limit);
				}
			}

			@Override
			public boolean isFinished() {
				return CountedBodyRequest.this.raw.isFinished();
			}

			@Override
			public boolean isReady() {
				return CountedBodyRequest.this.raw.isReady();
			}

			@Override
			public void setReadListener(ReadListener listener) {
				CountedBodyRequest.this.raw.setReadListener(listener);
			}

		}

	}

}
