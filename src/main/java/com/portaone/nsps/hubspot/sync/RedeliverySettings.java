package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The in-memory stores that recognise redelivered and stale events.
 *
 * @param storeSize {@code REDELIVERY_STORE_SIZE}: event ids, and contacts' latest event
 * times, kept at most
 * @param storeTtl {@code REDELIVERY_STORE_TTL_DAYS}: how long they are kept; NSPS
 * redelivers for about a month, operators who need that long raise it
 */
@ConfigurationProperties("connector.redelivery")
public record RedeliverySettings(int storeSize, Duration storeTtl) {

}
