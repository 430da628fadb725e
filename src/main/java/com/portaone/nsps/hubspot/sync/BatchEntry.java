package com.portaone.nsps.hubspot.sync;

import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.portaone.nsps.hubspot.event.ContactUpsert;
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

	BatchUpsertInput input() {
		Map<String, String> properties = new LinkedHashMap<>();
		this.writes.forEach((write) -> properties.putAll(write.upsert().properties()));
		return BatchUpsertInput.byEmail(latest().email(), properties, traceId());
	}

	boolean isWaiting() {
		return this.writes.stream().anyMatch((write) -> !write.isAnswered());
	}

	void answer(SyncOutcome outcome) {
		this.writes.forEach((write) -> write.answer(outcome));
	}

}
