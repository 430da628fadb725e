package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.hubspot.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Syncs events to HubSpot and answers each within its deadline, in batches or one request
 * per contact ({@code HUBSPOT_WRITE_MODE}).
 * <p>
 * Writes for one contact never overlap, so that a retried older write cannot land after a
 * newer one; writes for different contacts run in parallel and the request budget paces
 * them (see {@link WriteDispatcher}).
 */
@Component
public class SyncEngine implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

	private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

	private final SyncSettings settings;

	private final ExecutorService workers;

	private final ScheduledThreadPoolExecutor deadlines;

	private final WriteDispatcher dispatcher;

	private final RedeliveryGuard redeliveries;

	private final AtomicInteger inFlight = new AtomicInteger();

	public SyncEngine(ContactUpserter upserter, ContactBatchWriter batchWriter, HubSpotRequestBudget budget,
			RedeliveryGuard redeliveries, ConnectorMetrics metrics, SyncSettings settings) {
		this.settings = settings;
		this.redeliveries = redeliveries;
		metrics.eventsInFlight(this.inFlight::get);
		// Idle workers end, so that a burst's threads do not stay for the life of the
		// pod.
		ThreadPoolExecutor workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 10,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemonThreads("hubspot-sync-"));
		workers.allowCoreThreadTimeOut(true);
		this.workers = workers;
		this.deadlines = new ScheduledThreadPoolExecutor(1, daemonThreads("event-deadline-"));
		this.deadlines.setRemoveOnCancelPolicy(true);
		ContactWriter writer = (settings.writeMode() == WriteMode.BATCH) ? batchWriter : upserter;
		this.dispatcher = new WriteDispatcher(writer, budget, redeliveries, this.workers);
	}

	/**
	 * Syncs one event's contact.
	 * @param upsert the write
	 * @return the outcome, completed by the event's deadline at the latest
	 */
	public CompletableFuture<SyncOutcome> submit(ContactUpsert upsert) {
		if (this.redeliveries.isRedelivery(upsert)) {
			return CompletableFuture.completedFuture(new SyncOutcome.Synced());
		}
		this.inFlight.incrementAndGet();
		PendingWrite write = new PendingWrite(upsert, Deadline.after(this.settings.eventDeadline()),
				this.redeliveries::written);
		ScheduledFuture<?> deadline = this.deadlines.schedule(() -> {
			if (write.answer(write.progress().outcomeAtDeadline())) {
				write.inLogContext(() -> {
					log.warn("Event deadline of {} s passed", this.settings.eventDeadline().toSeconds());
					return null;
				});
			}
		}, this.settings.eventDeadline().toNanos(), TimeUnit.NANOSECONDS);
		write.outcome().whenComplete((outcome, failure) -> {
			deadline.cancel(false);
			this.inFlight.decrementAndGet();
		});
		this.dispatcher.enqueue(write);
		return write.outcome();
	}

	/**
	 * Lets queued and running writes finish once the web server has drained. By then
	 * every event has been answered, so the wait is short: a write still running belongs
	 * to an event NSPS will redeliver.
	 */
	@Override
	public void destroy() throws InterruptedException {
		Duration grace = SHUTDOWN_WAIT;
		this.dispatcher.stop(grace);
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
