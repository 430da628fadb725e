package com.portaone.nsps.hubspot.sync;

import java.time.LocalDateTime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Recognises what NSPS delivers again or late: an event id already written to HubSpot is
 * acknowledged without writing again, and an event older than the data already applied to
 * its contact is acknowledged without overwriting the newer data. Both stores are
 * bounded, in memory and per process (see the README for what that guarantees).
 */
@Component
public class RedeliveryGuard {

	private static final Logger log = LoggerFactory.getLogger(RedeliveryGuard.class);

	private final Cache<String, Boolean> writtenEvents;

	private final Cache<String, LocalDateTime> appliedEventTimes;

	private final ConnectorMetrics metrics;

	public RedeliveryGuard(RedeliverySettings settings, ConnectorMetrics metrics) {
		this.writtenEvents = Caffeine.newBuilder()
			.maximumSize(settings.storeSize())
			.expireAfterWrite(settings.storeTtl())
			.build();
		this.appliedEventTimes = Caffeine.newBuilder()
			.maximumSize(settings.storeSize())
			.expireAfterWrite(settings.storeTtl())
			.build();
		this.metrics = metrics;
	}

	/** Whether this event was written to HubSpot already. */
	boolean isRedelivery(ContactUpsert upsert) {
		if (this.writtenEvents.getIfPresent(upsert.eventId()) == null) {
			return false;
		}
		this.metrics.redelivered();
		log.info("Event already synced; acknowledged without writing again");
		return true;
	}

	/**
	 * Whether newer data was applied to the contact already. An event without an event
	 * time is never stale, and an equal time is not older.
	 */
	boolean isStale(ContactUpsert upsert) {
		LocalDateTime eventTime = upsert.eventTime();
		LocalDateTime applied = this.appliedEventTimes.getIfPresent(upsert.contactKey());
		if (eventTime == null || applied == null || !eventTime.isBefore(applied)) {
			return false;
		}
		this.metrics.stale();
		log.info("Event older than the data already applied ({} < {}); acknowledged without writing", eventTime,
				applied);
		return true;
	}

	/** HubSpot confirmed the event's write. */
	void written(ContactUpsert upsert) {
		this.writtenEvents.put(upsert.eventId(), Boolean.TRUE);
		LocalDateTime eventTime = upsert.eventTime();
		if (eventTime != null) {
			this.appliedEventTimes.asMap()
				.merge(upsert.contactKey(), eventTime, (old, now) -> now.isAfter(old) ? now : old);
		}
	}

}
