package com.portaone.nsps.hubspot.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The ordering store of one process, in memory: two Caffeine caches bounded by
 * {@code REDELIVERY_STORE_SIZE} entries each and {@code REDELIVERY_STORE_TTL_DAYS} since
 * the last write.
 */
final class LocalOrderingStore implements OrderingStore {

	private final Cache<String, PropertyTimes> times;

	private final Cache<String, Boolean> confirmedEvents;

	LocalOrderingStore(RedeliverySettings settings) {
		this.times = Caffeine.newBuilder()
			.maximumSize(settings.storeSize())
			.expireAfterWrite(settings.storeTtl())
			.build();
		this.confirmedEvents = Caffeine.newBuilder()
			.maximumSize(settings.storeSize())
			.expireAfterWrite(settings.storeTtl())
			.build();
	}

	@Override
	public Map<String, PropertyTimes> propertyTimes(Collection<String> contactKeys) {
		Map<String, PropertyTimes> known = new HashMap<>();
		for (String key : contactKeys) {
			PropertyTimes times = this.times.getIfPresent(key);
			if (times != null) {
				known.put(key, times);
			}
		}
		return known;
	}

	@Override
	public void written(List<Written> writes) {
		for (Written write : writes) {
			this.times.asMap().merge(write.contactKey(), write.times(), PropertyTimes::latest);
			write.eventIds().forEach((id) -> this.confirmedEvents.put(id, Boolean.TRUE));
		}
	}

	@Override
	public boolean isConfirmed(String eventId) {
		return this.confirmedEvents.getIfPresent(eventId) != null;
	}

}
