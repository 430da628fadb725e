package com.portaone.nsps.hubspot.sync;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * One event waiting for its answer: what it writes, whose it is, the time its data counts
 * from, where it stands, and the NSPS request's log and trace context, so that whatever
 * thread answers it logs under the request's ids. Only {@link EventOutcomes} completes
 * its outcome.
 */
final class PendingEvent {

	private final ContactUpsert upsert;

	private final long effectiveMillis;

	private final long arrival;

	private final Deadline deadline;

	private final CompletableFuture<SyncOutcome> outcome = new CompletableFuture<>();

	private final @Nullable Map<String, String> logContext;

	private final WriteSpans.EventSpan span;

	private final long queuedAtNanos = System.nanoTime();

	private volatile String contactKey;

	private volatile Step step = Step.QUEUED;

	private volatile @Nullable RuntimeException lastFailure;

	/**
	 * @param upsert what the event writes
	 * @param contactKey the subscriber it belongs to (see {@link Identity})
	 * @param effectiveMillis when its data counts from, in epoch milliseconds (see
	 * {@link EventTimes})
	 * @param arrival the order of arrival, which breaks ties between equal times
	 * @param deadline when NSPS must have its answer
	 * @param span the request's span, for the write's span to link to
	 */
	PendingEvent(ContactUpsert upsert, String contactKey, long effectiveMillis, long arrival, Deadline deadline,
			WriteSpans.EventSpan span) {
		this.upsert = upsert;
		this.contactKey = contactKey;
		this.effectiveMillis = effectiveMillis;
		this.arrival = arrival;
		this.deadline = deadline;
		this.span = span;
		this.logContext = MDC.getCopyOfContextMap();
	}

	ContactUpsert upsert() {
		return this.upsert;
	}

	String contactKey() {
		return this.contactKey;
	}

	/** The event belongs to a subscriber found only now; it is queued again under it. */
	void belongsTo(String contactKey) {
		this.contactKey = contactKey;
		this.step = Step.QUEUED;
	}

	long effectiveMillis() {
		return this.effectiveMillis;
	}

	long arrival() {
		return this.arrival;
	}

	Deadline deadline() {
		return this.deadline;
	}

	WriteSpans.EventSpan span() {
		return this.span;
	}

	CompletableFuture<SyncOutcome> outcome() {
		return this.outcome;
	}

	long queuedAtNanos() {
		return this.queuedAtNanos;
	}

	boolean isAnswered() {
		return this.outcome.isDone();
	}

	Step step() {
		return this.step;
	}

	void step(Step step) {
		this.step = step;
	}

	@Nullable RuntimeException lastFailure() {
		return this.lastFailure;
	}

	void failed(RuntimeException failure) {
		this.lastFailure = failure;
	}

	<T> T inLogContext(Supplier<T> task) {
		Map<String, String> previous = MDC.getCopyOfContextMap();
		if (this.logContext != null) {
			MDC.setContextMap(this.logContext);
		}
		try {
			return task.get();
		}
		finally {
			if (previous != null) {
				MDC.setContextMap(previous);
			}
			else {
				MDC.clear();
			}
		}
	}

	/** Where an event's sync stands, for the answer at its deadline. */
	enum Step {

		/** In the queue, waiting for a permit and a free contact. */
		QUEUED,

		/** Taken into a write that waits for a permit of the request budget. */
		WAITING_FOR_BUDGET,

		/** Its write is on its way to HubSpot, or waits for a worker. */
		AWAITING_HUBSPOT

	}

}
