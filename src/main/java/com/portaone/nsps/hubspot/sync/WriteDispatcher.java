package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.Permit;
import com.portaone.nsps.hubspot.client.RequestBudgetExhaustedException;
import com.portaone.nsps.hubspot.sync.PendingEvent.Step;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Feeds queued events to HubSpot as the request budget allows. Whenever the budget gives
 * a permit, what is queued goes out at once, up to 100 contacts (one in single mode): a
 * lone event leaves at once and a burst fills batches. Taking the permit before choosing
 * the events means no permit is spent on an event answered while it waited.
 * <p>
 * A write claims its contact's key and emails. A claim with a write in flight, or in
 * doubt after a request HubSpot left unanswered, is held back until HubSpot can no longer
 * apply that request; its queued events then go out merged. So writes for one contact
 * never overtake each other. With replicas, {@link ContactLocks} extends the claims to
 * them.
 * <p>
 * The dispatcher is one thread, started and stopped with the application: it stops after
 * the web server has drained, once the queue is empty. Should it end otherwise, liveness
 * goes down.
 */
@Component
class WriteDispatcher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(WriteDispatcher.class);

	/**
	 * How long writes still running at shutdown may finish, once the web server has
	 * drained. Part of the shutdown arithmetic in the Kubernetes manifests.
	 */
	static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

	/** Stops after the web server (its graceful drain and its stop). */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	/** How long a contact another replica is writing stays out of the batches taken. */
	private static final long LOCKED_ELSEWHERE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	/**
	 * The pause after Redis failed, so that a Redis outage does not spin the dispatcher.
	 */
	private static final long AFTER_SHARED_STATE_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

	private final HubSpotRequestBudget budget;

	private final SyncRound round;

	private final ContactLocks locks;

	private final EventOutcomes outcomes;

	private final TaskExecutor thread;

	private final TaskExecutor workers;

	private final ApplicationEventPublisher events;

	private final int maxContacts;

	private final AtomicLong writeIds = new AtomicLong();

	private final AtomicInteger roundsRunning = new AtomicInteger();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition changed = this.lock.newCondition();

	private final ArrayDeque<PendingEvent> queue = new ArrayDeque<>();

	/**
	 * The claims each contact taken was taken with, until it is released: planning may
	 * move its events to their account, the claims stay those it holds.
	 */
	private final Map<List<PendingEvent>, List<String>> taken = new java.util.IdentityHashMap<>();

	/**
	 * Claims not free now: until when (nanoTime); {@link Long#MAX_VALUE} while in flight.
	 */
	private final Map<String, Long> busyUntil = new HashMap<>();

	private volatile boolean running;

	private volatile boolean stopping;

	private final java.util.concurrent.atomic.AtomicReference<Runnable> onStopped = new java.util.concurrent.atomic.AtomicReference<>();

	WriteDispatcher(HubSpotRequestBudget budget, SyncRound round, ContactLocks locks, EventOutcomes outcomes,
			SyncSettings settings, @Qualifier(SyncConfiguration.DISPATCHER_THREAD) TaskExecutor thread,
			@Qualifier(SyncConfiguration.HUBSPOT_WORKERS) TaskExecutor workers, ApplicationEventPublisher events) {
		this.budget = budget;
		this.round = round;
		this.locks = locks;
		this.outcomes = outcomes;
		this.thread = thread;
		this.workers = workers;
		this.events = events;
		this.maxContacts = (settings.writeMode() == WriteMode.BATCH) ? ContactWriter.MAX_BATCH : 1;
	}

	/** Queues an event; one that cannot be dispatched any more is answered 500. */
	void enqueue(PendingEvent event) {
		if (!this.running) {
			this.outcomes.failed(event, new IllegalStateException("The HubSpot write dispatcher is not running"));
			return;
		}
		this.lock.lock();
		try {
			this.queue.add(event);
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void start() {
		this.stopping = false;
		this.running = true;
		this.thread.execute(this::dispatch);
	}

	/**
	 * Sends what is queued, lets running writes finish (for up to
	 * {@link #SHUTDOWN_WAIT}), then stops.
	 */
	@Override
	public void stop(Runnable callback) {
		this.onStopped.set(callback);
		this.stopping = true;
		signal();
		if (!this.running) {
			stopped();
		}
	}

	@Override
	public void stop() {
		this.stopping = true;
		signal();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void dispatch() {
		try {
			while (awaitWork()) {
				dispatchOnce();
			}
			awaitRounds();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException | Error ex) {
			log.error("The HubSpot write dispatcher failed", ex);
		}
		finally {
			this.running = false;
			if (!this.stopping) {
				log.error("The HubSpot write dispatcher stopped; no event can be written any more");
				AvailabilityChangeEvent.publish(this.events, this, LivenessState.BROKEN);
			}
			stopped();
		}
	}

	/** Tells the lifecycle, once, that the dispatcher has stopped. */
	private void stopped() {
		Runnable callback = this.onStopped.getAndSet(null);
		if (callback != null) {
			callback.run();
		}
	}

	/**
	 * One round: a permit, then the contacts it carries, locked for the write, handed to
	 * a worker. A failure answers the round's events; the next round goes on.
	 */
	private void dispatchOnce() {
		List<List<PendingEvent>> batch = List.of();
		long writeId = this.writeIds.incrementAndGet();
		try {
			long waitStart = System.nanoTime();
			Permit permit;
			try {
				permit = this.budget.acquire(Duration.ofMinutes(1));
			}
			catch (RequestBudgetExhaustedException ex) {
				if (!this.budget.dailyLimitCooldownRemaining().isZero()) {
					failQueued(ex);
				}
				return;
			}
			WriteSpans.Interval permitWait = new WriteSpans.Interval(waitStart, System.nanoTime());
			// Taken first, so that a failure to lock answers and frees what was taken.
			batch = takeBatch();
			batch = lockShared(batch, writeId);
			if (!batch.isEmpty()) {
				List<List<PendingEvent>> taken = batch;
				this.roundsRunning.incrementAndGet();
				this.workers.execute(() -> runRound(taken, permit, permitWait, writeId));
			}
		}
		catch (SharedStateUnavailableException ex) {
			log.warn("Shared state unreachable; answering queued events 503: {}", ex.getMessage());
			fail(batch, ex);
			release(batch, writeId, new SyncRound.Result());
			failQueued(ex);
			pause(AFTER_SHARED_STATE_FAILURE_NANOS);
		}
		catch (RuntimeException ex) {
			fail(batch, ex);
			release(batch, writeId, new SyncRound.Result());
		}
	}

	private void runRound(List<List<PendingEvent>> batch, Permit permit, WriteSpans.Interval permitWait, long writeId) {
		SyncRound.Result result = new SyncRound.Result();
		try {
			result = this.round.run(batch, permit, permitWait);
		}
		catch (RuntimeException ex) {
			fail(batch, ex);
		}
		finally {
			release(batch, writeId, result);
			result.moved.forEach(this::enqueue);
			this.roundsRunning.decrementAndGet();
			signal();
		}
	}

	/**
	 * Keeps the contacts this replica could lock; those another replica is writing, or
	 * holds in doubt, go back to the queue, left alone meanwhile.
	 */
	private List<List<PendingEvent>> lockShared(List<List<PendingEvent>> batch, long writeId) {
		if (batch.isEmpty()) {
			return batch;
		}
		List<Duration> busy = this.locks.tryLock(claimsOf(batch), writeId);
		if (busy.stream().allMatch(Duration::isZero)) {
			return batch;
		}
		List<List<PendingEvent>> mine = new ArrayList<>();
		this.lock.lock();
		try {
			long now = System.nanoTime();
			for (int i = batch.size() - 1; i >= 0; i--) {
				List<PendingEvent> events = batch.get(i);
				if (busy.get(i).isZero()) {
					mine.add(0, events);
					continue;
				}
				long until = now + Math.max(LOCKED_ELSEWHERE_NANOS, busy.get(i).toNanos());
				this.taken.remove(events).forEach((claim) -> this.busyUntil.put(claim, until));
				for (int e = events.size() - 1; e >= 0; e--) {
					events.get(e).step(Step.QUEUED);
					this.queue.addFirst(events.get(e));
				}
			}
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
		return mine;
	}

	private void fail(List<List<PendingEvent>> batch, RuntimeException failure) {
		batch.forEach((events) -> events.forEach((event) -> this.outcomes.failed(event, failure)));
	}

	/**
	 * Frees the round's claims, those in doubt only once HubSpot can no longer write
	 * them.
	 */
	private void release(List<List<PendingEvent>> batch, long writeId, SyncRound.Result result) {
		if (batch.isEmpty()) {
			return;
		}
		List<List<String>> claims = new ArrayList<>();
		List<Duration> inDoubtFor = new ArrayList<>();
		this.lock.lock();
		try {
			long now = System.nanoTime();
			for (List<PendingEvent> events : batch) {
				List<String> contactClaims = this.taken.remove(events);
				if (contactClaims == null) {
					continue;
				}
				// The key it was taken under: planning may have moved its events since.
				Long doubt = result.inDoubtUntil.get(contactClaims.get(0));
				boolean inDoubt = doubt != null && doubt - now > 0;
				for (String claim : contactClaims) {
					if (inDoubt) {
						this.busyUntil.put(claim, doubt);
					}
					else {
						this.busyUntil.remove(claim);
					}
				}
				claims.add(contactClaims);
				inDoubtFor.add(inDoubt ? Duration.ofNanos(doubt - now) : Duration.ZERO);
			}
			this.changed.signal();
		}
		finally {
			this.lock.unlock();
		}
		try {
			this.locks.unlock(claims, writeId, inDoubtFor);
		}
		catch (RuntimeException ex) {
			// The locks expire with their lease.
			log.warn("Could not release contact locks: {}", ex.getMessage());
		}
	}

	private List<List<String>> claimsOf(List<List<PendingEvent>> batch) {
		this.lock.lock();
		try {
			return batch.stream().map(this.taken::get).toList();
		}
		finally {
			this.lock.unlock();
		}
	}

	/** A contact's claims: its key and the emails its events address. */
	private static List<String> claims(List<PendingEvent> events) {
		Set<String> claims = new LinkedHashSet<>();
		claims.add(events.get(0).contactKey());
		events.forEach((event) -> claims.add(Identity.claimOfEmail(event.upsert().emailKey())));
		return List.copyOf(claims);
	}

	/** Waits until a queued event can be sent; false once stopping with nothing left. */
	private boolean awaitWork() throws InterruptedException {
		this.lock.lock();
		try {
			while (!hasSendable()) {
				if (this.stopping && this.queue.isEmpty()) {
					return false;
				}
				this.changed.await(nextExpiryNanos(), TimeUnit.NANOSECONDS);
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Whether a queued event can be sent now; answered events leave the queue. Called
	 * holding the lock.
	 */
	private boolean hasSendable() {
		long now = System.nanoTime();
		this.busyUntil.values().removeIf((until) -> until != Long.MAX_VALUE && now - until >= 0);
		boolean sendable = false;
		for (Iterator<PendingEvent> it = this.queue.iterator(); it.hasNext();) {
			PendingEvent event = it.next();
			if (event.isAnswered()) {
				it.remove();
			}
			else if (!sendable && isFree(event)) {
				sendable = true;
			}
		}
		return sendable;
	}

	/** How long to wait at most before a claim frees itself. Called holding the lock. */
	private long nextExpiryNanos() {
		long now = System.nanoTime();
		long next = TimeUnit.MILLISECONDS.toNanos(200);
		for (long until : this.busyUntil.values()) {
			if (until != Long.MAX_VALUE) {
				next = Math.min(next, Math.max(1, until - now));
			}
		}
		return next;
	}

	private boolean isFree(PendingEvent event) {
		return !this.busyUntil.containsKey(event.contactKey())
				&& !this.busyUntil.containsKey(Identity.claimOfEmail(event.upsert().emailKey()));
	}

	/**
	 * Takes up to the most contacts one request carries off the queue, with every event
	 * queued for each, if every claim of the contact is free, and marks them in flight.
	 */
	private List<List<PendingEvent>> takeBatch() {
		this.lock.lock();
		try {
			Map<String, List<PendingEvent>> byContact = new LinkedHashMap<>();
			for (PendingEvent event : this.queue) {
				if (!event.isAnswered()) {
					byContact.computeIfAbsent(event.contactKey(), (key) -> new ArrayList<>()).add(event);
				}
			}
			List<List<PendingEvent>> taken = new ArrayList<>();
			Set<String> takenClaims = new LinkedHashSet<>();
			for (List<PendingEvent> events : byContact.values()) {
				if (taken.size() == this.maxContacts) {
					break;
				}
				List<String> claims = claims(events);
				if (claims.stream()
					.noneMatch((claim) -> this.busyUntil.containsKey(claim) || takenClaims.contains(claim))) {
					taken.add(events);
					takenClaims.addAll(claims);
					this.taken.put(events, claims);
				}
			}
			Set<PendingEvent> takenEvents = new java.util.HashSet<>();
			taken.forEach(takenEvents::addAll);
			this.queue.removeIf((event) -> event.isAnswered() || takenEvents.contains(event));
			takenClaims.forEach((claim) -> this.busyUntil.put(claim, Long.MAX_VALUE));
			// From here on they wait for HubSpot, even while their request waits for a
			// free worker behind requests HubSpot holds up.
			takenEvents.forEach((event) -> event.step(Step.AWAITING_HUBSPOT));
			return taken;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Reports a failure for every queued event whose contact is free. */
	private void failQueued(RuntimeException failure) {
		List<PendingEvent> failed = new ArrayList<>();
		this.lock.lock();
		try {
			for (Iterator<PendingEvent> it = this.queue.iterator(); it.hasNext();) {
				PendingEvent event = it.next();
				if (isFree(event)) {
					failed.add(event);
					it.remove();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		failed.forEach((event) -> this.outcomes.failed(event, failure));
	}

	private void awaitRounds() throws InterruptedException {
		long end = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
		this.lock.lock();
		try {
			while (this.roundsRunning.get() > 0 && end - System.nanoTime() > 0) {
				this.changed.await(Math.min(end - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(50)),
						TimeUnit.NANOSECONDS);
			}
		}
		finally {
			this.lock.unlock();
		}
		if (this.roundsRunning.get() > 0) {
			log.warn("HubSpot writes still running at shutdown: {}", this.roundsRunning.get());
		}
	}

	private void signal() {
		this.lock.lock();
		try {
			this.changed.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	private static void pause(long nanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
