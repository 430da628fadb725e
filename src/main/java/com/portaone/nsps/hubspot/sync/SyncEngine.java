package com.portaone.nsps.hubspot.sync;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Where events enter the sync: a redelivery of a confirmed event is acknowledged at once;
 * any other event is given its subscriber ({@link Identity}), its timers and its place in
 * the {@link WriteDispatcher}'s queue. ARCHITECTURE.md follows one event from here.
 */
@Component
public class SyncEngine {

	private static final Logger log = LoggerFactory.getLogger(SyncEngine.class);

	private final ContactStore store;

	private final EventOutcomes outcomes;

	private final WriteDispatcher dispatcher;

	private final WriteSpans spans;

	private final SyncSettings settings;

	private final EventTimes eventTimes;

	private final AtomicLong arrivals = new AtomicLong();

	SyncEngine(ContactStore store, EventOutcomes outcomes, WriteDispatcher dispatcher, WriteSpans spans,
			SyncSettings settings, ConnectorMetrics metrics) {
		this.store = store;
		this.outcomes = outcomes;
		this.dispatcher = dispatcher;
		this.spans = spans;
		this.settings = settings;
		this.eventTimes = new EventTimes(settings, metrics, Clock.systemUTC());
	}

	/**
	 * Syncs one event's contact.
	 * @param upsert the write
	 * @return the outcome, completed by the event's deadline at the latest
	 */
	public CompletableFuture<SyncOutcome> submit(ContactUpsert upsert) {
		ContactStore.Arrival arrival;
		try {
			arrival = this.store.arrival(upsert.eventId(), (upsert.account() == null) ? upsert.email() : null);
		}
		catch (SharedStateUnavailableException ex) {
			log.warn("Shared state unreachable: {}", ex.getMessage());
			return CompletableFuture.completedFuture(this.outcomes.failedOnArrival(ex));
		}
		if (arrival.confirmed()) {
			return CompletableFuture.completedFuture(this.outcomes.redelivered());
		}
		Long account = (upsert.account() != null) ? upsert.account() : arrival.account();
		String key = (account != null) ? Identity.ofAccount(account) : Identity.ofEmail(upsert.emailKey());
		PendingEvent event = new PendingEvent(upsert, key, this.eventTimes.effectiveMillis(upsert),
				this.arrivals.incrementAndGet(), Deadline.after(this.settings.eventDeadline()), this.spans.current());
		this.outcomes.track(event);
		this.dispatcher.enqueue(event);
		return event.outcome();
	}

}
