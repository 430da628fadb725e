package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.hubspot.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Syncs events to HubSpot and answers each within its deadline, in batches or one request
 * per event ({@code HUBSPOT_WRITE_MODE}).
 * <p>
 * Writes for one contact never overlap, so that a retried older write cannot land after a
 * newer one; writes for different contacts run in parallel and the request budget paces
 * them.
 */
@Component
public class SyncEngine implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

	private final ContactUpserter upserter;

	private final SyncSettings settings;

	private final ExecutorService workers;

	private final ScheduledThreadPoolExecutor deadlines;

	private final @Nullable BatchDispatcher batches;

	/**
	 * Single mode: the last write queued for each contact; removed once it has finished.
	 */
	private final Map<String, CompletableFuture<Void>> lastWriteByContact = new ConcurrentHashMap<>();

	public SyncEngine(ContactUpserter upserter, ContactBatchWriter batchWriter, HubSpotRequestBudget budget,
			SyncSettings settings) {
		this.upserter = upserter;
		this.settings = settings;
		this.workers = Executors.newFixedThreadPool(settings.workers(), daemonThreads("hubspot-sync-"));
		this.deadlines = new ScheduledThreadPoolExecutor(1, daemonThreads("event-deadline-"));
		this.deadlines.setRemoveOnCancelPolicy(true);
		this.batches = (settings.writeMode() == WriteMode.BATCH)
				? new BatchDispatcher(batchWriter, budget, this.workers) : null;
	}

	/**
	 * Syncs one event's contact.
	 * @param upsert the write
	 * @return the outcome, completed by the event's deadline at the latest
	 */
	public CompletableFuture<SyncOutcome> submit(ContactUpsert upsert) {
		PendingWrite write = new PendingWrite(upsert, Deadline.after(this.settings.eventDeadline()));
		ScheduledFuture<?> deadline = this.deadlines.schedule(() -> {
			if (write.answer(write.progress().outcomeAtDeadline())) {
				write.inLogContext(() -> {
					log.warn("Event deadline of {} s passed", this.settings.eventDeadline().toSeconds());
					return null;
				});
			}
		}, this.settings.eventDeadline().toNanos(), TimeUnit.NANOSECONDS);
		write.outcome().whenComplete((outcome, failure) -> deadline.cancel(false));
		if (this.batches != null) {
			this.batches.enqueue(write);
		}
		else {
			writeAlone(write);
		}
		return write.outcome();
	}

	/**
	 * Single mode: one request per event, after the previous write for the same contact.
	 */
	private void writeAlone(PendingWrite write) {
		Runnable task = () -> {
			if (write.isAnswered()) {
				return;
			}
			try {
				SyncOutcome outcome = write
					.inLogContext(() -> this.upserter.upsert(write.upsert(), write.deadline(), write.progress()));
				write.answer(outcome);
			}
			catch (RuntimeException ex) {
				write.fail(ex);
			}
		};
		String key = write.upsert().contactKey();
		CompletableFuture<Void> queued = this.lastWriteByContact.compute(key, (contact, previous) -> (previous != null)
				? previous.thenRunAsync(task, this.workers) : CompletableFuture.runAsync(task, this.workers));
		queued.whenComplete((result, failure) -> this.lastWriteByContact.remove(key, queued));
	}

	/** Lets queued and running writes finish once the web server has drained. */
	@Override
	public void destroy() throws InterruptedException {
		Duration grace = this.settings.eventDeadline().plusSeconds(5);
		if (this.batches != null) {
			this.batches.stop(grace);
		}
		this.workers.shutdown();
		if (!this.workers.awaitTermination(grace.toSeconds(), TimeUnit.SECONDS)) {
			log.warn("HubSpot writes still running at shutdown: {}", this.workers.shutdownNow().size());
		}
		this.deadlines.shutdownNow();
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
