package com.portaone.nsps.hubspot.sync;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Syncs events to HubSpot and answers each within its deadline.
 * <p>
 * Writes for one contact run one after another, in arrival order, so that a retried older
 * write can never land after a newer one. Writes for different contacts run in parallel
 * on a bounded pool of workers; the request budget paces them.
 */
@Component
public class SyncEngine implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

	private final ContactUpserter upserter;

	private final SyncSettings settings;

	private final ExecutorService workers;

	/** The last write queued for each contact key; removed once it has finished. */
	private final Map<String, CompletableFuture<Void>> lastWriteByContact = new ConcurrentHashMap<>();

	public SyncEngine(ContactUpserter upserter, SyncSettings settings) {
		this.upserter = upserter;
		this.settings = settings;
		AtomicInteger threads = new AtomicInteger();
		this.workers = Executors.newFixedThreadPool(settings.workers(), (task) -> {
			Thread thread = new Thread(task, "hubspot-sync-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Syncs one event's contact.
	 * @param upsert the write
	 * @return the outcome, completed by the event's deadline at the latest
	 */
	public CompletableFuture<SyncOutcome> submit(ContactUpsert upsert) {
		Deadline deadline = Deadline.after(this.settings.eventDeadline());
		SyncProgress progress = new SyncProgress();
		CompletableFuture<SyncOutcome> outcome = new CompletableFuture<>();
		Map<String, String> logContext = MDC.getCopyOfContextMap();
		Runnable write = () -> withLogContext(logContext, () -> {
			if (outcome.isDone()) {
				return;
			}
			try {
				outcome.complete(this.upserter.upsert(upsert, deadline, progress));
			}
			catch (RuntimeException ex) {
				outcome.completeExceptionally(ex);
			}
		});
		String key = upsert.contactKey();
		CompletableFuture<Void> queued = this.lastWriteByContact.compute(key, (contact, previous) -> (previous != null)
				? previous.thenRunAsync(write, this.workers) : CompletableFuture.runAsync(write, this.workers));
		queued.whenComplete((result, failure) -> this.lastWriteByContact.remove(key, queued));
		CompletableFuture.delayedExecutor(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)
			.execute(() -> withLogContext(logContext, () -> {
				if (outcome.complete(progress.outcomeAtDeadline())) {
					log.warn("Event deadline of {} s passed", this.settings.eventDeadline().toSeconds());
				}
			}));
		return outcome;
	}

	private static void withLogContext(@Nullable Map<String, String> context, Runnable task) {
		Map<String, String> previous = MDC.getCopyOfContextMap();
		if (context != null) {
			MDC.setContextMap(context);
		}
		try {
			task.run();
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

	/** Lets queued and running writes finish once the web server has drained. */
	@Override
	public void destroy() throws InterruptedException {
		this.workers.shutdown();
		if (!this.workers.awaitTermination(this.settings.eventDeadline().toSeconds() + 5, TimeUnit.SECONDS)) {
			log.warn("HubSpot writes still running at shutdown: {}", this.workers.shutdownNow().size());
		}
	}

}
