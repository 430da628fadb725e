package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How events are synced.
 *
 * @param eventDeadline {@code EVENT_DEADLINE_SECONDS}: NSPS has its answer within this
 * time of the event's arrival, whatever HubSpot does
 * @param workers {@code SYNC_WORKERS}: HubSpot writes that may wait or be in flight at
 * once
 */
@ConfigurationProperties("connector.sync")
public record SyncSettings(Duration eventDeadline, int workers) {

}
