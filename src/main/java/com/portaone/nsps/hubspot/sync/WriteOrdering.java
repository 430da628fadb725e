package com.portaone.nsps.hubspot.sync;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.portaone.nsps.hubspot.event.ContactMapping;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Decides what each event writes (SPEC §4, ordering per property). For each contact and
 * property the {@link OrderingStore} remembers the time of the value last written, and an
 * event writes each of its properties unless a newer event has written that same
 * property; an equal time is not older. Only writes HubSpot confirmed are remembered, and
 * only events whose own write was confirmed are acknowledged again without writing when
 * NSPS redelivers them.
 */
@Component
class WriteOrdering {

	private static final Logger log = LoggerFactory.getLogger(WriteOrdering.class);

	private static final Comparator<PendingWrite> OLDEST_DATA_FIRST = Comparator
		.comparingLong(PendingWrite::effectiveMillis)
		.thenComparingLong(PendingWrite::arrival);

	private final OrderingStore store;

	private final ConnectorMetrics metrics;

	WriteOrdering(OrderingStore store, ConnectorMetrics metrics) {
		this.store = store;
		this.metrics = metrics;
	}

	/** Whether HubSpot confirmed this event's write already. */
	boolean isRedelivery(ContactUpsert upsert) {
		if (!this.store.isConfirmed(upsert.eventId())) {
			return false;
		}
		this.metrics.redelivered();
		log.info("Event already synced; acknowledged without writing again");
		return true;
	}

	/**
	 * Plans each contact's write against what was written already. Events whose every
	 * property was written by newer events are answered without a write.
	 * @param contacts each contact's queued events, no contact twice
	 * @return the writes to make
	 */
	List<ContactWrite> plan(List<List<PendingWrite>> contacts) {
		Map<String, PropertyTimes> written = this.store
			.propertyTimes(contacts.stream().map((events) -> events.get(0).upsert().contactKey()).toList());
		return contacts.stream()
			.map((events) -> plan(events,
					written.getOrDefault(events.get(0).upsert().contactKey(), PropertyTimes.NONE)))
			.filter(Objects::nonNull)
			.toList();
	}

	private @Nullable ContactWrite plan(List<PendingWrite> queued, PropertyTimes written) {
		List<PendingWrite> events = queued.stream().sorted(OLDEST_DATA_FIRST).toList();
		PendingWrite newest = events.get(events.size() - 1);
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(ContactMapping.EMAIL, newest.upsert().email());
		PropertyTimes times = PropertyTimes.NONE;
		boolean superseded = false;
		for (String property : PropertyTimes.NAMES) {
			PendingWrite source = newestCarrying(events, property);
			if (source == null) {
				continue;
			}
			if (written.of(property) > source.effectiveMillis()) {
				superseded = true;
				continue;
			}
			properties.put(property, source.upsert().properties().get(property));
			times = times.with(property, source.effectiveMillis());
		}
		if (superseded && properties.size() == 1) {
			events.forEach((event) -> {
				if (event.answer(new SyncOutcome.Synced())) {
					this.metrics.stale();
					event.inLogContext(() -> {
						log.info("Every property of the event was written by a newer event; acknowledged without"
								+ " writing");
						return null;
					});
				}
			});
			return null;
		}
		return new ContactWrite(newest.upsert().contactKey(), events, properties, times);
	}

	private static @Nullable PendingWrite newestCarrying(List<PendingWrite> events, String property) {
		for (int i = events.size() - 1; i >= 0; i--) {
			if (events.get(i).upsert().properties().containsKey(property)) {
				return events.get(i);
			}
		}
		return null;
	}

	/** HubSpot confirmed the write: remember it, then answer its events. */
	void confirmed(ContactWrite write) {
		confirmed(List.of(write));
	}

	/**
	 * HubSpot confirmed the writes: remember them all at once (one round trip to a shared
	 * store), then answer their events.
	 */
	void confirmed(List<ContactWrite> writes) {
		this.store.written(writes.stream()
			.map((write) -> new OrderingStore.Written(write.contactKey(), write.times(), write.eventIds()))
			.toList());
		writes.forEach((write) -> write.settle(new SyncOutcome.Synced()));
	}

}
