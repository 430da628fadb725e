package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * One event waiting for its contact to be written, with the NSPS request's log context so
 * that whatever thread answers it logs under the request's ids.
 */
final class PendingWrite {

	private final ContactUpsert upsert;

	private final Deadline deadline;

	private final SyncProgress progress = new SyncProgress();

	private final CompletableFuture<SyncOutcome> outcome = new CompletableFuture<>();

	private final @Nullable Map<String, String> logContext;

	private final long queuedAtNanos = System.nanoTime();

	private final Consumer<ContactUpsert> onWritten;

	/**
	 * @param onWritten told when HubSpot confirmed the write, before the event is
	 * answered, so that NSPS cannot redeliver it before it is known to be written
	 */
	PendingWrite(ContactUpsert upsert, Deadline deadline, Consumer<ContactUpsert> onWritten) {
		this.upsert = upsert;
		this.deadline = deadline;
		this.onWritten = onWritten;
		this.logContext = MDC.getCopyOfContextMap();
	}

	ContactUpsert upsert() {
		return this.upsert;
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

	/** HubSpot confirmed the write, whether or not the event was still waiting for it. */
	void markWritten() {
		this.onWritten.accept(this.upsert);
	}

	boolean isAnswered() {
		return this.outcome.isDone();
	}

	/** Answers the event, unless its deadline answered it already. */
	boolean answer(SyncOutcome result) {
		return inLogContext(() -> this.outcome.complete(result));
	}

	void fail(Throwable failure) {
		inLogContext(() -> this.outcome.completeExceptionally(failure));
	}

	<T> T inLogContext(java.util.function.Supplier<T> task) {
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
