package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The ordering store: confirmed event ids and per-property write times.
 *
 * @param storeSize {@code REDELIVERY_STORE_SIZE}: contacts, and event ids, kept at most
 * @param storeTtl {@code REDELIVERY_STORE_TTL_DAYS}: how long they are kept after their
 * last write; NSPS redelivers for about a month, operators who need that long raise it
 */
@ConfigurationProperties("connector.redelivery")
record RedeliverySettings(int storeSize, Duration storeTtl) {

}
