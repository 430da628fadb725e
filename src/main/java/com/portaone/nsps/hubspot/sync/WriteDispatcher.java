package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.Permit;
import com.portaone.nsps.hubspot.client.RequestBudgetExhaustedException;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.redis.SharedStateUnavailableException;
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

	/** How long a contact another replica is writing stays out of the batches taken. */
	private static final long LOCKED_ELSEWHERE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	/**
	 * The pause after Redis failed, so that a Redis outage does not spin the dispatcher.
	 */
	private static final Duration AFTER_SHARED_STATE_FAILURE = Duration.ofMillis(200);

	private final ContactWriter writer;

	private final HubSpotRequestBudget budget;

	private final WriteOrdering ordering;

	private final ContactLocks locks;

	private final SyncOutcomes outcomes;

	private final ExecutorService senders;

	private final ConnectorMetrics metrics;

	private final Runnable onDispatchingEnded;

	private final AtomicLong writeIds = new AtomicLong();

	/** Contacts another replica was writing, until when to leave them. */
	private final Map<String, Long> lockedElsewhere = new HashMap<>();

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
	WriteDispatcher(ContactWriter writer, HubSpotRequestBudget budget, WriteOrdering ordering, ContactLocks locks,
			SyncOutcomes outcomes, ExecutorService senders, ConnectorMetrics metrics, Runnable onDispatchingEnded) {
		this.writer = writer;
		this.budget = budget;
		this.ordering = ordering;
		this.locks = locks;
		this.outcomes = outcomes;
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
	 * One round: a permit, then the contacts it carries, locked for the write, handed to
	 * a sender. A failure answers the round's events; the next round goes on.
	 */
	private void dispatchOnce() {
		List<List<PendingWrite>> batch = List.of();
		long writeId = this.writeIds.incrementAndGet();
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
			batch = lockShared(batch, writeId);
			if (!batch.isEmpty()) {
				List<List<PendingWrite>> taken = batch;
				this.senders.execute(() -> send(taken, permit, writeId));
			}
		}
		catch (SharedStateUnavailableException ex) {
			log.warn("Shared state unreachable; answering queued events 503: {}", ex.getMessage());
			answer(batch, ex);
			release(batch, writeId);
			answerQueued(this.outcomes.of(ex, new SyncProgress()));
			pause(AFTER_SHARED_STATE_FAILURE);
		}
		catch (RuntimeException ex) {
			log.error("HubSpot write dispatch failed; answering its events", ex);
			this.metrics.dispatchFailure();
			answer(batch, ex);
			release(batch, writeId);
		}
	}

	private void send(List<List<PendingWrite>> batch, Permit permit, long writeId) {
		try {
			List<ContactWrite> writes = this.ordering.plan(batch);
			if (!writes.isEmpty()) {
				this.writer.write(writes, permit);
			}
		}
		catch (SharedStateUnavailableException ex) {
			log.warn("Shared state unreachable; answering a write's events 503: {}", ex.getMessage());
			answer(batch, ex);
		}
		catch (RuntimeException ex) {
			log.error("HubSpot write failed unexpectedly; answering its events", ex);
			this.metrics.dispatchFailure();
			answer(batch, ex);
		}
		finally {
			release(batch, writeId);
		}
	}

	/**
	 * Keeps the contacts this replica could lock; those another replica is writing go
	 * back to the queue, left alone for a moment.
	 */
	private List<List<PendingWrite>> lockShared(List<List<PendingWrite>> batch, long writeId) {
		if (batch.isEmpty()) {
			return batch;
		}
		Set<String> locked = this.locks.tryLock(batch.stream().map(WriteDispatcher::contactKey).toList(), writeId);
		if (locked.size() == batch.size()) {
			return batch;
		}
		List<List<PendingWrite>> mine = new ArrayList<>();
		List<List<PendingWrite>> elsewhere = new ArrayList<>();
		batch.forEach((events) -> (locked.contains(contactKey(events)) ? mine : elsewhere).add(events));
		this.lock.lock();
		try {
			long until = System.nanoTime() + LOCKED_ELSEWHERE_NANOS;
			for (List<PendingWrite> events : elsewhere) {
				this.inFlight.remove(contactKey(events));
				this.lockedElsewhere.put(contactKey(events), until);
				for (int i = events.size() - 1; i >= 0; i--) {
					this.queue.addFirst(events.get(i));
				}
			}
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
		return mine;
	}

	/** Answers the events of a round that failed, those not answered yet. */
	private void answer(List<List<PendingWrite>> batch, RuntimeException failure) {
		batch.forEach((events) -> events.forEach((event) -> event.answer(this.outcomes.of(failure, event.progress()))));
	}

	private void release(List<List<PendingWrite>> batch, long writeId) {
		if (batch.isEmpty()) {
			return;
		}
		List<String> keys = batch.stream().map(WriteDispatcher::contactKey).toList();
		this.lock.lock();
		try {
			keys.forEach(this.inFlight::remove);
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
		try {
			this.locks.unlock(keys, writeId);
		}
		catch (RuntimeException ex) {
			// The locks expire with their lease.
			log.warn("Could not release contact locks: {}", ex.getMessage());
		}
	}

	private static String contactKey(List<PendingWrite> events) {
		return events.get(0).upsert().contactKey();
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
		long now = System.nanoTime();
		this.lockedElsewhere.values().removeIf((until) -> now - until >= 0);
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
			else if (isFree(write.upsert().contactKey())) {
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
				else if (isFree(key) && (byContact.containsKey(key) || byContact.size() < this.writer.maxContacts())) {
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

	/**
	 * Whether a contact can be taken: no write of this process in flight, and not being
	 * written by another replica a moment ago. Called holding the lock.
	 */
	private boolean isFree(String contactKey) {
		if (this.inFlight.contains(contactKey)) {
			return false;
		}
		Long until = this.lockedElsewhere.get(contactKey);
		if (until == null) {
			return true;
		}
		if (System.nanoTime() - until >= 0) {
			this.lockedElsewhere.remove(contactKey);
			return true;
		}
		return false;
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
