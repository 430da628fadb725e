package com.portaone.nsps.hubspot.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

import org.springframework.scheduling.TaskScheduler;

/**
 * {@code HTTP_TIMEOUT_SECONDS} as the deadline of a whole exchange with HubSpot, from the
 * connection's lease to the answer's last byte. Apache HttpClient's own timeouts bound
 * the connect and each silence only, so an answer that trickles in would outlast them. At
 * its deadline the request is cancelled, which closes its connection wherever the
 * exchange is; once the answer is read and closed, the deadline is dropped. One that
 * fires as the exchange ends cancels nothing: the connection has gone back to the pool.
 * <p>
 * A failure before the request went out on its connection ({@link #SENDING} marks that
 * moment) becomes a {@link NotSentException}, whatever the socket said: a cancel during
 * the lease or the connect looks like any closed socket, and HubSpot cannot apply a
 * request it never received.
 */
final class ExchangeDeadline implements ExecChainHandler {

	static final String NAME = "hubspot-exchange-deadline";

	/** Registered right after the connect: the request is about to be written. */
	static final String SENDING_NAME = "hubspot-exchange-sending";

	private static final String SENT = ExchangeDeadline.class.getName() + ".sent";

	/** Marks the exchange as sent, once its connection is open. */
	static final ExecChainHandler SENDING = (request, scope, chain) -> {
		scope.clientContext.setAttribute(SENT, Boolean.TRUE);
		return chain.proceed(request, scope);
	};

	private final TaskScheduler deadlines;

	private final Duration timeout;

	ExchangeDeadline(TaskScheduler deadlines, Duration timeout) {
		this.deadlines = deadlines;
		this.timeout = timeout;
	}

	@Override
	public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
			throws IOException, HttpException {
		if (!(scope.originalRequest instanceof Cancellable exchange)) {
			return chain.proceed(request, scope);
		}
		Future<?> deadline = this.deadlines.schedule(exchange::cancel, Instant.now().plus(this.timeout));
		try {
			ClassicHttpResponse response = chain.proceed(request, scope);
			HttpEntity body = response.getEntity();
			if (body == null) {
				deadline.cancel(false);
			}
			else {
				response.setEntity(new UntilClosed(body, deadline));
			}
			return response;
		}
		catch (IOException ex) {
			deadline.cancel(false);
			throw (scope.clientContext.getAttribute(SENT) == null) ? new NotSentException(ex) : ex;
		}
		catch (HttpException | RuntimeException ex) {
			deadline.cancel(false);
			throw ex;
		}
	}

	/** The exchange failed before its request was written: HubSpot never received it. */
	static final class NotSentException extends ConnectException {

		NotSentException(IOException cause) {
			super("Not sent: " + cause);
			initCause(cause);
		}

	}

	/** An answer's body whose deadline is dropped when it is closed. */
	private static final class UntilClosed extends HttpEntityWrapper {

		private final Future<?> deadline;

		UntilClosed(HttpEntity body, Future<?> deadline) {
			super(body);
			this.deadline = deadline;
		}

		@Override
		public InputStream getContent() throws IOException {
			return new FilterInputStream(super.getContent()) {

				@Override
				public void close() throws IOException {
					try {
						super.close();
					}
					finally {
						UntilClosed.this.deadline.cancel(false);
					}
				}

			};
		}

		@Override
		public void close() throws IOException {
			try {
				super.close();
			}
			finally {
				this.deadline.cancel(false);
			}
		}

	}

}
