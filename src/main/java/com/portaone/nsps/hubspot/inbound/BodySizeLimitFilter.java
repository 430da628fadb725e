package com.portaone.nsps.hubspot.inbound;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads an event body up to the configured limit, whether or not it declares its length.
 * A larger body is read on and dropped up to a bound, so that the sender receives the 413
 * instead of a reset connection, then answered 413.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class BodySizeLimitFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(BodySizeLimitFilter.class);

	private final long maxBodySize;

	private final long maxDiscardedBodySize;

	private final ConnectorMetrics metrics;

	BodySizeLimitFilter(InboundSettings settings, ConnectorMetrics metrics) {
		this.metrics = metrics;
		this.maxBodySize = settings.maxBodySize().toBytes();
		this.maxDiscardedBodySize = settings.maxDiscardedBodySize().toBytes();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !ApiTokenFilter.EVENT_PATH.equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		InputStream in = request.getInputStream();
		byte[] body = (declared > this.maxBodySize) ? null : readUpTo(in, this.maxBodySize + 1);
		if (body == null || body.length > this.maxBodySize) {
			long discarded = in.skip(this.maxDiscardedBodySize);
			log.warn("Request body over the limit of {} bytes ({} bytes declared, {} more dropped)", this.maxBodySize,
					declared, discarded);
			this.metrics.eventAnswered("unknown", "too_large", Duration.ZERO);
			response.setHeader("Connection", "close");
			JsonAnswerWriter.write(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
					NspsAnswers.tooLarge(this.maxBodySize));
			return;
		}
		chain.doFilter(new ReadBodyRequest(request, body), response);
	}

	private static byte[] readUpTo(InputStream in, long limit) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		long total = 0;
		int read;
		while (total < limit && (read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) != -1) {
			out.write(buffer, 0, read);
			total += read;
		}
		return out.toByteArray();
	}

	/** The request with its body already read into memory. */
	private static final class ReadBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		ReadBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new IllegalStateException("The body is already read");
				}

			};
		}

	}

}
