package com.portaone.nsps.hubspot.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.portaone.nsps.hubspot.client.Permit;

import org.springframework.stereotype.Component;

/**
 * One round of the write dispatcher, on a worker thread: plans the contacts taken
 * ({@link ContactPlanner}), records what needs no request, makes the writes
 * ({@link ContactWriter}), records each confirmation in the {@link ContactStore} before
 * it is answered, and hands every result to {@link EventOutcomes}.
 */
@Component
class SyncRound {

	private final ContactPlanner planner;

	private final ContactWriter writer;

	private final ContactStore store;

	private final EventOutcomes outcomes;

	private final WriteSpans spans;

	SyncRound(ContactPlanner planner, ContactWriter writer, ContactStore store, EventOutcomes outcomes,
			WriteSpans spans) {
		this.planner = planner;
		this.writer = writer;
		this.store = store;
		this.outcomes = outcomes;
		this.spans = spans;
	}

	/**
	 * @param contacts each contact's events, no key twice
	 * @param permit the first request's permit
	 * @param permitWait when the dispatcher began to wait for it, and when it came
	 * @return what the dispatcher must know once the round is over
	 */
	Result run(List<List<PendingEvent>> contacts, Permit permit, WriteSpans.Interval permitWait) {
		Result result = new Result();
		List<ContactWrite> writes = List.of();
		try {
			ContactPlanner.Plan plan = this.planner.plan(contacts);
			result.moved.addAll(plan.moved);
			if (!plan.nothingToWrite.isEmpty()) {
				this.store.record(plan.nothingToWrite.stream().map(ContactPlanner.NothingToWrite::advance).toList());
				for (ContactPlanner.NothingToWrite none : plan.nothingToWrite) {
					none.events().forEach((event) -> this.outcomes.nothingToWrite(event, none.stale().contains(event)));
				}
			}
			writes = plan.writes;
			if (!writes.isEmpty()) {
				this.spans.write(plan.writes, permitWait,
						() -> this.writer.write(plan.writes, permit, new Recording(this.store, this.outcomes)));
				for (ContactWrite write : writes) {
					if (write.inDoubtUntilNanos() != 0) {
						result.inDoubtUntil.put(write.key(), write.inDoubtUntilNanos());
					}
				}
			}
		}
		catch (RuntimeException ex) {
			contacts.forEach((events) -> events.forEach((event) -> {
				if (!result.moved.contains(event)) {
					this.outcomes.failed(event, ex);
				}
			}));
		}
		finally {
			recordUnconfirmed(writes);
		}
		return result;
	}

	/**
	 * Notes what writes never confirmed may have left in HubSpot, before the contacts are
	 * let go: their values, so that none is taken for one HubSpot holds, and their
	 * emails.
	 */
	private void recordUnconfirmed(List<ContactWrite> writes) {
		List<ContactChange> unconfirmed = new ArrayList<>();
		for (ContactWrite write : writes) {
			ContactChange change = write.unconfirmed();
			if (change != null) {
				unconfirmed.add(change);
			}
		}
		if (unconfirmed.isEmpty()) {
			return;
		}
		try {
			this.store.record(unconfirmed);
		}
		catch (SharedStateUnavailableException ex) {
			// Nothing was acknowledged by these writes; while the store is unavailable no
			// event is planned against it either.
			org.slf4j.LoggerFactory.getLogger(SyncRound.class)
				.warn("Could not note the writes HubSpot never confirmed: {}", ex.getMessage());
		}
	}

	/** Confirmations are recorded, then answered; failures are answered. */
	private record Recording(ContactStore store, EventOutcomes outcomes) implements WriteListener {

		@Override
		public void confirmed(List<Confirmed> writes) {
			if (writes.isEmpty()) {
				return;
			}
			long now = System.currentTimeMillis();
			List<ContactChange> changes = new ArrayList<>();
			writes.forEach((confirmed) -> changes.add(confirmed.write().confirmed(confirmed.recordId(), now)));
			try {
				this.store.record(changes);
			}
			catch (SharedStateUnavailableException ex) {
				// Written, but not remembered: NSPS redelivers, and the write is
				// repeated.
				writes.forEach(
						(confirmed) -> confirmed.write().events().forEach((event) -> this.outcomes.failed(event, ex)));
				return;
			}
			writes.forEach((confirmed) -> confirmed.write().events().forEach(this.outcomes::written));
		}

		@Override
		public void failed(ContactWrite write, RuntimeException failure) {
			write.events().forEach((event) -> this.outcomes.failed(event, failure));
		}

	}

	/** What a round leaves to the dispatcher. */
	static final class Result {

		/** Contacts HubSpot may still write, until when (nanoTime). */
		final Map<String, Long> inDoubtUntil = new HashMap<>();

		/** Events that belong to another subscriber than they were queued under. */
		final List<PendingEvent> moved = new ArrayList<>();

	}

}
