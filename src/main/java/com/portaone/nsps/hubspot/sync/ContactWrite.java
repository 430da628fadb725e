package com.portaone.nsps.hubspot.sync;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.portaone.nsps.hubspot.client.BatchUpsertInput;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.event.NspsEvent;

/**
 * One contact's write: the events queued for it, merged into one input (ids must be
 * unique within a batch), holding for each property the value of the newest event that
 * carries it, unless a newer one was written already (see {@link WriteOrdering}).
 */
final class ContactWrite {

	private final String contactKey;

	private final List<PendingWrite> events;

	private final Map<String, String> properties;

	private final PropertyTimes times;

	private volatile boolean settled;

	/**
	 * @param events the contact's events, oldest data first
	 * @param properties the properties to write, email included
	 * @param times the time of each written property's value
	 */
	ContactWrite(String contactKey, List<PendingWrite> events, Map<String, String> properties, PropertyTimes times) {
		this.contactKey = contactKey;
		this.events = List.copyOf(events);
		this.properties = Map.copyOf(properties);
		this.times = times;
	}

	String contactKey() {
		return this.contactKey;
	}

	List<PendingWrite> events() {
		return this.events;
	}

	Map<String, String> properties() {
		return this.properties;
	}

	PropertyTimes times() {
		return this.times;
	}

	private ContactUpsert latest() {
		return this.events.get(this.events.size() - 1).upsert();
	}

	/** The email as the newest event carries it. */
	String email() {
		return latest().email();
	}

	/**
	 * Whether any of the events is a SIM/Created: a create comes first in single mode.
	 */
	boolean creates() {
		return this.events.stream().anyMatch((write) -> NspsEvent.SIM_CREATED.equals(write.upsert().eventType()));
	}

	/**
	 * The id HubSpot echoes in a batch answer's results and errors: the newest event's
	 * id.
	 */
	String traceId() {
		return latest().eventId();
	}

	BatchUpsertInput input() {
		return BatchUpsertInput.byEmail(email(), this.properties, traceId());
	}

	List<String> eventIds() {
		return this.events.stream().map((write) -> write.upsert().eventId()).toList();
	}

	/**
	 * Whether the write is still to be made: neither confirmed nor refused, and some
	 * event still waits for its answer.
	 */
	boolean isOpen() {
		return !this.settled && this.events.stream().anyMatch((write) -> !write.isAnswered());
	}

	/** Ends the write: every event still waiting gets the outcome. */
	void settle(SyncOutcome outcome) {
		this.settled = true;
		this.events.forEach((write) -> write.answer(outcome));
	}

	/**
	 * The latest deadline of the writes' events: requests go on while any of them waits.
	 */
	static Deadline latestDeadline(Collection<ContactWrite> writes) {
		return writes.stream()
			.flatMap((write) -> write.events.stream())
			.map(PendingWrite::deadline)
			.max(Comparator.comparingLong(Deadline::expiresAtNanos))
			.orElseThrow();
	}

	static List<SyncProgress> progress(Collection<ContactWrite> writes) {
		return writes.stream().flatMap((write) -> write.events.stream()).map(PendingWrite::progress).toList();
	}

}
