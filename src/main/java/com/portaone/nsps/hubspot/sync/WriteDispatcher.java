package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.Permit;
import com.portaone.nsps.hubspot.client.RequestBudgetExhaustedException;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds queued events to HubSpot as the request budget allows. Whenever the budget gives
 * a permit, what is queued goes out at once, up to the writer's most contacts per
 * request: in batch mode a lone event leaves at once and a burst fills batches; in single
 * mode the oldest event leaves. Taking the permit before choosing the events means no
 * permit is spent on an event whose deadline passed while it waited. A contact with a
 * write in flight is held back until that write has finished, so that writes for one
 * contact never overtake each other; its queued events then go out merged.
 * <p>
 * The dispatcher is one thread, supervised: a failure in one round answers that round's
 * events and dispatching goes on; should the thread end anyway, {@link #isDispatching()}
 * says so and liveness goes down.
 */
final class WriteDispatcher {

	private static final Logger log = LoggerFactory.getLogger(WriteDispatcher.class);

	private final ContactWriter writer;

	private final HubSpotRequestBudget budget;

	private final WriteOrdering ordering;

	private final ExecutorService senders;

	private final ConnectorMetrics metrics;

	private final Runnable onDispatchingEnded;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();

	private final Set<String> inFlight = new HashSet<>();

	private final Thread thread;

	private volatile boolean stopping;

	private volatile boolean dispatching = true;

	/**
	 * @param onDispatchingEnded run if the dispatcher thread ends other than by a stop
	 */
	WriteDispatcher(ContactWriter writer, HubSpotRequestBudget budget, WriteOrdering ordering, ExecutorService senders,
			ConnectorMetrics metrics, Runnable onDispatchingEnded) {
		this.writer = writer;
		this.budget = budget;
		this.ordering = ordering;
		this.senders = senders;
		this.metrics = metrics;
		this.onDispatchingEnded = onDispatchingEnded;
		this.thread = new Thread(this::dispatch, "hubspot-write-dispatcher");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	void enqueue(PendingWrite write) {
		this.lock.lock();
		try {
			this.queue.add(write);
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether events are still being dispatched. */
	boolean isDispatching() {
		return this.dispatching;
	}

	private void dispatch() {
		try {
			while (awaitWork()) {
				dispatchOnce();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.dispatching = false;
			if (!this.stopping) {
				log.error("The HubSpot write dispatcher stopped; no event can be written any more");
				this.onDispatchingEnded.run();
			}
		}
	}

	/**
	 * One round: a permit, then the contacts it carries, handed to a sender. A failure
	 * answers the round's events and is counted; the next round goes on.
	 */
	private void dispatchOnce() {
		List<List<PendingWrite>> batch = List.of();
		try {
			Permit permit;
			try {
				permit = this.budget.acquire(Duration.ofMinutes(1));
			}
			catch (RequestBudgetExhaustedException ex) {
				if (!this.budget.dailyLimitCooldownRemaining().isZero()) {
					answerQueued(new SyncOutcome.RateLimited(ex.getMessage(), ex.retryAfter()));
				}
				return;
			}
			batch = takeBatch();
			if (!batch.isEmpty()) {
				List<List<PendingWrite>> taken = batch;
				this.senders.execute(() -> send(taken, permit));
			}
		}
		catch (RuntimeException ex) {
			log.error("HubSpot write dispatch failed; answering its events", ex);
			this.metrics.dispatchFailure();
			fail(batch);
			release(batch);
		}
	}

	private void send(List<List<PendingWrite>> batch, Permit permit) {
		try {
			List<ContactWrite> writes = this.ordering.plan(batch);
			if (!writes.isEmpty()) {
				this.writer.write(writes, permit);
			}
		}
		catch (RuntimeException ex) {
			log.error("HubSpot write failed unexpectedly; answering its events", ex);
			this.metrics.dispatchFailure();
			fail(batch);
		}
		finally {
			release(batch);
		}
	}

	/** Answers the events of a round that failed, those not answered yet. */
	private static void fail(List<List<PendingWrite>> batch) {
		batch.forEach((events) -> events.forEach((event) -> event.answer(new SyncOutcome.Failed())));
	}

	private void release(List<List<PendingWrite>> batch) {
		this.lock.lock();
		try {
			batch.forEach((events) -> this.inFlight.remove(events.get(0).upsert().contactKey()));
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Waits until a queued event can be sent; false once stopping with nothing left. */
	private boolean awaitWork() throws InterruptedException {
		List<PendingWrite> waitedTooLong = new ArrayList<>();
		try {
			this.lock.lock();
			try {
				while (!hasSendable(waitedTooLong)) {
					if (this.stopping && this.queue.isEmpty()) {
						return false;
					}
					if (!waitedTooLong.isEmpty()) {
						return true;
					}
					this.changed.await(200, TimeUnit.MILLISECONDS);
				}
				return true;
			}
			finally {
				this.lock.unlock();
			}
		}
		finally {
			SyncOutcome limited = new SyncOutcome.RateLimited(
					"No HubSpot request budget within " + this.budget.maxPermitWait().toSeconds() + " s",
					Duration.ofSeconds(1));
			waitedTooLong.forEach((write) -> write.answer(limited));
		}
	}

	/**
	 * Whether a queued event can be sent now. Events answered by their deadline leave the
	 * queue; so do events that waited longer than the wait bound, into
	 * {@code waitedTooLong}, to be answered 429 outside the lock.
	 */
	private boolean hasSendable(List<PendingWrite> waitedTooLong) {
		boolean sendable = false;
		for (Iterator<PendingWrite> it = this.queue.iterator(); it.hasNext();) {
			PendingWrite write = it.next();
			if (write.isAnswered()) {
				it.remove();
			}
			else if (write.waited().compareTo(this.budget.maxPermitWait()) > 0) {
				waitedTooLong.add(write);
				it.remove();
			}
			else if (!this.inFlight.contains(write.upsert().contactKey())) {
				sendable = true;
			}
		}
		return sendable;
	}

	/**
	 * Takes up to the writer's most contacts off the queue, with every event queued for
	 * each, and marks them in flight.
	 */
	private List<List<PendingWrite>> takeBatch() {
		this.lock.lock();
		try {
			Map<String, List<PendingWrite>> byContact = new LinkedHashMap<>();
			for (Iterator<PendingWrite> it = this.queue.iterator(); it.hasNext();) {
				PendingWrite write = it.next();
				String key = write.upsert().contactKey();
				if (write.isAnswered()) {
					it.remove();
				}
				else if (!this.inFlight.contains(key)
						&& (byContact.containsKey(key) || byContact.size() < this.writer.maxContacts())) {
					byContact.computeIfAbsent(key, (k) -> new ArrayList<>()).add(write);
					it.remove();
				}
			}
			this.inFlight.addAll(byContact.keySet());
			// From here on they wait for HubSpot, even while their request waits for a
			// free worker behind requests HubSpot holds up.
			byContact.values().forEach((writes) -> writes.forEach((write) -> write.progress().awaitingHubSpot()));
			return List.copyOf(byContact.values());
		}
		finally {
			this.lock.unlock();
		}
	}

	private void answerQueued(SyncOutcome outcome) {
		List<PendingWrite> answered = new ArrayList<>();
		this.lock.lock();
		try {
			for (Iterator<PendingWrite> it = this.queue.iterator(); it.hasNext();) {
				PendingWrite write = it.next();
				if (!this.inFlight.contains(write.upsert().contactKey())) {
					answered.add(write);
					it.remove();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		answered.forEach((write) -> write.answer(outcome));
	}

	/** Sends what is queued, then stops; waits at most {@code timeout}. */
	void stop(Duration timeout) throws InterruptedException {
		this.stopping = true;
		this.lock.lock();
		try {
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
		this.thread.join(timeout.toMillis());
	}

}
