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
		try {
			ContactPlanner.Plan plan = this.planner.plan(contacts);
			result.moved.addAll(plan.moved);
			if (!plan.nothingToWrite.isEmpty()) {
				this.store.record(plan.nothingToWrite.stream().map(ContactPlanner.NothingToWrite::advance).toList());
				for (ContactPlanner.NothingToWrite none : plan.nothingToWrite) {
					none.events().forEach((event) -> this.outcomes.nothingToWrite(event, none.stale().contains(event)));
				}
			}
			if (!plan.writes.isEmpty()) {
				this.spans.write(plan.writes, permitWait,
						() -> this.writer.write(plan.writes, permit, new Recording(this.store, this.outcomes)));
				List<ContactChange> tried = new ArrayList<>();
				for (ContactWrite write : plan.writes) {
					if (write.inDoubtUntilNanos() != 0) {
						result.inDoubtUntil.put(write.key(), write.inDoubtUntilNanos());
					}
					ContactChange unconfirmed = write.unconfirmed();
					if (unconfirmed != null) {
						tried.add(unconfirmed);
					}
				}
				recordTried(tried);
			}
		}
		catch (RuntimeException ex) {
			contacts.forEach((events) -> events.forEach((event) -> {
				if (!result.moved.contains(event)) {
					this.outcomes.failed(event, ex);
				}
			}));
		}
		return result;
	}

	/** Notes the emails of writes never confirmed: a contact may hold one. */
	private void recordTried(List<ContactChange> tried) {
		if (tried.isEmpty()) {
			return;
		}
		try {
			this.store.record(tried);
		}
		catch (SharedStateUnavailableException ex) {
			// Only an email change before any confirmation depends on it.
			org.slf4j.LoggerFactory.getLogger(SyncRound.class)
				.warn("Could not note the emails of unconfirmed writes: {}", ex.getMessage());
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
