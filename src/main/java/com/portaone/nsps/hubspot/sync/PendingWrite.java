package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * One event waiting for its contact to be written, with the time its data counts from and
 * the NSPS request's log context, so that whatever thread answers it logs under the
 * request's ids.
 */
final class PendingWrite {

	private final ContactUpsert upsert;

	private final long effectiveMillis;

	private final long arrival;

	private final Deadline deadline;

	private final SyncProgress progress = new SyncProgress();

	private final CompletableFuture<SyncOutcome> outcome = new CompletableFuture<>();

	private final @Nullable Map<String, String> logContext;

	private final long queuedAtNanos = System.nanoTime();

	/**
	 * @param upsert what the event writes
	 * @param effectiveMillis when its data counts from, in epoch milliseconds (see
	 * {@link EventTimes})
	 * @param arrival the order of arrival, which breaks ties between equal times
	 * @param deadline when NSPS must have its answer
	 */
	PendingWrite(ContactUpsert upsert, long effectiveMillis, long arrival, Deadline deadline) {
		this.upsert = upsert;
		this.effectiveMillis = effectiveMillis;
		this.arrival = arrival;
		this.deadline = deadline;
		this.logContext = MDC.getCopyOfContextMap();
	}

	ContactUpsert upsert() {
		return this.upsert;
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

	SyncProgress progress() {
		return this.progress;
	}

	CompletableFuture<SyncOutcome> outcome() {
		return this.outcome;
	}

	/** How long the event has waited since it was queued. */
	Duration waited() {
		return Duration.ofNanos(System.nanoTime() - this.queuedAtNanos);
	}

	boolean isAnswered() {
		return this.outcome.isDone();
	}

	/** Answers the event, unless it was answered already (by its deadline). */
	boolean answer(SyncOutcome result) {
		return inLogContext(() -> this.outcome.complete(result));
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

}
