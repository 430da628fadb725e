package com.portaone.nsps.hubspot.sync;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.event.NspsEvent;
import com.portaone.nsps.hubspot.hubspot.BatchUpsertInput;

/**
 * One contact of a batch: the events queued for it, merged into one input because ids
 * must be unique within a batch. The later event's value of each property wins.
 *
 * @param writes the events, in the order their properties were applied
 */
record BatchEntry(List<PendingWrite> writes) {

	BatchEntry {
		writes = List.copyOf(inEventTimeOrder(writes));
	}

	/**
	 * Events in {@code event_time} order when all carry one; otherwise in arrival order.
	 */
	private static List<PendingWrite> inEventTimeOrder(List<PendingWrite> writes) {
		boolean allTimed = writes.stream().allMatch((write) -> write.upsert().eventTime() != null);
		if (!allTimed) {
			return writes;
		}
		return writes.stream()
			.sorted(Comparator.comparing((PendingWrite write) -> Objects.requireNonNull(write.upsert().eventTime()),
					LocalDateTime::compareTo))
			.toList();
	}

	private ContactUpsert latest() {
		return this.writes.get(this.writes.size() - 1).upsert();
	}

	/** The trace id HubSpot echoes in a 207's errors: the latest event's id. */
	String traceId() {
		return latest().eventId();
	}

	/**
	 * The events as one write: their properties merged, a create if any of them is one.
	 */
	ContactUpsert merged() {
		ContactUpsert latest = latest();
		boolean created = this.writes.stream()
			.anyMatch((write) -> NspsEvent.SIM_CREATED.equals(write.upsert().eventType()));
		return new ContactUpsert(latest.eventId(), created ? NspsEvent.SIM_CREATED : latest.eventType(), latest.email(),
				mergedProperties(), latest.eventTime());
	}

	private Map<String, String> mergedProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		this.writes.forEach((write) -> properties.putAll(write.upsert().properties()));
		return properties;
	}

	/**
	 * The latest deadline of the entries' events: requests go on while any of them waits.
	 */
	static Deadline latestDeadline(List<BatchEntry> entries) {
		return entries.stream()
			.flatMap((entry) -> entry.writes().stream())
			.map(PendingWrite::deadline)
			.max(Comparator.comparingLong(Deadline::expiresAtNanos))
			.orElseThrow();
	}

	static List<SyncProgress> progress(List<BatchEntry> entries) {
		return entries.stream().flatMap((entry) -> entry.writes().stream()).map(PendingWrite::progress).toList();
	}

	BatchUpsertInput input() {
		return BatchUpsertInput.byEmail(latest().email(), mergedProperties(), traceId());
	}

	boolean isWaiting() {
		return this.writes.stream().anyMatch((write) -> !write.isAnswered());
	}

	void answer(SyncOutcome outcome) {
		if (outcome instanceof SyncOutcome.Synced) {
			this.writes.forEach(PendingWrite::markWritten);
		}
		this.writes.forEach((write) -> write.answer(outcome));
	}

}
