package com.portaone.nsps.hubspot.sync;

import java.time.Clock;
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
import java.util.concurrent.atomic.AtomicLong;

import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.redis.SharedStateUnavailableException;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Syncs events to HubSpot and answers each within its deadline, in batches or one request
 * per contact ({@code HUBSPOT_WRITE_MODE}). See the package description for one event's
 * path.
 */
@Component
public class SyncEngine implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

	/**
	 * How long writes still running at shutdown may finish, once the web server has
	 * drained. Part of the shutdown arithmetic in the Kubernetes manifests.
	 */
	static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

	private final SyncSettings settings;

	private final ExecutorService workers;

	private final ScheduledThreadPoolExecutor deadlines;

	private final WriteDispatcher dispatcher;

	private final WriteOrdering ordering;

	private final EventTimes eventTimes;

	private final SyncOutcomes outcomes;

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicLong arrivals = new AtomicLong();

	SyncEngine(ContactUpserter upserter, ContactBatchWriter batchWriter, HubSpotRequestBudget budget,
			WriteOrdering ordering, ContactLocks locks, SyncOutcomes outcomes, ConnectorMetrics metrics,
			SyncSettings settings, ApplicationEventPublisher events) {
		this.settings = settings;
		this.ordering = ordering;
		this.eventTimes = new EventTimes(settings, metrics, Clock.systemUTC());
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
		this.outcomes = outcomes;
		this.dispatcher = new WriteDispatcher(writer, budget, ordering, locks, outcomes, this.workers, metrics,
				() -> AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN));
	}

	/**
	 * Syncs one event's contact.
	 * @param upsert the write
	 * @return the outcome, completed by the event's deadline at the latest
	 */
	public CompletableFuture<SyncOutcome> submit(ContactUpsert upsert) {
		try {
			if (this.ordering.isRedelivery(upsert)) {
				return CompletableFuture.completedFuture(new SyncOutcome.Synced());
			}
		}
		catch (SharedStateUnavailableException ex) {
			log.warn("Shared state unreachable: {}", ex.getMessage());
			return CompletableFuture.completedFuture(this.outcomes.of(ex, new SyncProgress()));
		}
		this.inFlight.incrementAndGet();
		PendingWrite write = new PendingWrite(upsert, this.eventTimes.effectiveMillis(upsert),
				this.arrivals.incrementAndGet(), Deadline.after(this.settings.eventDeadline()));
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
		if (!this.dispatcher.isDispatching()) {
			write.answer(new SyncOutcome.Failed());
			return write.outcome();
		}
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
		long end = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
		this.dispatcher.stop(SHUTDOWN_WAIT);
		this.workers.shutdown();
		long left = Math.max(0, end - System.nanoTime());
		if (!this.workers.awaitTermination(left, TimeUnit.NANOSECONDS)) {
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
