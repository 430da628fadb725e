package com.portaone.nsps.hubspot.client;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The right to send one request to HubSpot, taken from the {@link HubSpotRequestBudget}.
 * The request is sent through it, so that it cannot leave without one: right before it
 * leaves, HubSpot's rolling window is checked again on the sending thread, and what
 * HubSpot answers about its limits flows back to the budget. A permit sends once; one
 * that is never used is simply lost.
 */
public final class Permit {

	private final HubSpotRequestBudget budget;

	private final long notAfterNanos;

	private final AtomicBoolean used = new AtomicBoolean();

	Permit(HubSpotRequestBudget budget, long notAfterNanos) {
		this.budget = budget;
		this.notAfterNanos = notAfterNanos;
	}

	<T> T send(Request<T> request) {
		if (!this.used.compareAndSet(false, true)) {
			throw new IllegalStateException("A permit sends one request only");
		}
		long sequence = this.budget.beforeSend(this.notAfterNanos);
		try {
			return request.send((headers) -> this.budget.answered(sequence, headers));
		}
		catch (HubSpotException ex) {
			if (ex.status() == 429) {
				this.budget.refused(ex);
			}
			throw ex;
		}
	}

	/** One HTTP exchange, told where to report HubSpot's rate-limit headers. */
	interface Request<T> {

		T send(Consumer<RateLimitHeaders> onHeaders);

	}

}
