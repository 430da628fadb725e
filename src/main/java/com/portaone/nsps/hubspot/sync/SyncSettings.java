package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.time.ZoneId;

import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How events are synced.
 *
 * @param eventDeadline {@code EVENT_DEADLINE_SECONDS}: NSPS has its answer within this
 * time of the event's arrival, whatever HubSpot does
 * @param workers {@code SYNC_WORKERS}: HubSpot requests that may wait or be in flight at
 * once
 * @param writeMode {@code HUBSPOT_WRITE_MODE}: batch upserts of up to 100 contacts, or
 * one contact per request
 * @param eventTimeZone {@code EVENT_TIME_ZONE}: the zone of {@code event_time}, which
 * carries none
 * @param eventTimeSkew {@code EVENT_TIME_MAX_SKEW_SECONDS}: how far an {@code event_time}
 * may lie ahead of its receipt before it counts as the receipt time
 * @param unchangedTtl {@code HUBSPOT_UNCHANGED_TTL_HOURS}: a value HubSpot confirmed
 * within this time is not sent again; zero sends every value
 */
@ConfigurationProperties("connector.sync")
@Validated
public record SyncSettings(@DurationMin(seconds = 1) Duration eventDeadline, @Positive int workers, WriteMode writeMode,
		ZoneId eventTimeZone, @DurationMin(seconds = 0) Duration eventTimeSkew,
		@DurationMin(seconds = 0) Duration unchangedTtl) {

	/** How contacts are written to HubSpot. */
	public enum WriteMode {

		/**
		 * Concurrent events coalesced into batch upserts: up to 100 contacts a request.
		 */
		BATCH,

		/** One contact per request: a batch upsert of one input. */
		SINGLE

	}

}
