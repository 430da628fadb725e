package com.portaone.nsps.hubspot.sync;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The time an event's data counts from, for ordering: its {@code event_time} (in
 * {@code EVENT_TIME_ZONE}); the time of receipt when it has none, or when it lies further
 * ahead of the receipt than the allowed clock skew, so that one event dated 2099 cannot
 * freeze a contact.
 */
final class EventTimes {

	private static final Logger log = LoggerFactory.getLogger(EventTimes.class);

	private final SyncSettings settings;

	private final ConnectorMetrics metrics;

	private final Clock clock;

	EventTimes(SyncSettings settings, ConnectorMetrics metrics, Clock clock) {
		this.settings = settings;
		this.metrics = metrics;
		this.clock = clock;
	}

	/** Epoch milliseconds the event's data counts from, received now. */
	long effectiveMillis(ContactUpsert upsert) {
		Instant received = this.clock.instant();
		LocalDateTime eventTime = upsert.eventTime();
		if (eventTime == null) {
			return received.toEpochMilli();
		}
		Instant stated = eventTime.atZone(this.settings.eventTimeZone()).toInstant();
		if (stated.isAfter(received.plus(this.settings.eventTimeSkew()))) {
			this.metrics.futureEventTime();
			log.warn(
					"event_time lies ahead of the time of receipt by more than the allowed skew; the time of"
							+ " receipt is used instead",
					kv("event_time", eventTime.toString()), kv("received", received.toString()));
			return received.toEpochMilli();
		}
		return stated.toEpochMilli();
	}

}
