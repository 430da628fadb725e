package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How events are synced.
 *
 * @param eventDeadline {@code EVENT_DEADLINE_SECONDS}: NSPS has its answer within this
 * time of the event's arrival, whatever HubSpot does
 * @param workers {@code SYNC_WORKERS}: HubSpot requests that may wait or be in flight at
 * once
 * @param writeMode {@code HUBSPOT_WRITE_MODE}: batch upserts of up to 100 contacts, or
 * one request per event
 */
@ConfigurationProperties("connector.sync")
public record SyncSettings(Duration eventDeadline, int workers, WriteMode writeMode) {

	/** How events are written to HubSpot. */
	public enum WriteMode {

		/**
		 * Concurrent events coalesced into batch upserts: up to 100 contacts a request.
		 */
		BATCH,

		/** One create or update request per event. */
		SINGLE

	}

}
