package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The contact store: per subscriber what HubSpot holds, and confirmed event ids.
 *
 * @param size {@code REDELIVERY_STORE_SIZE}: subscribers, and event ids, kept at most in
 * the process
 * @param ttl {@code REDELIVERY_STORE_TTL_DAYS}: how long they are kept after their last
 * change; NSPS redelivers for about a month, operators who need that long raise it
 */
@ConfigurationProperties("connector.store")
@Validated
public record StoreSettings(@Positive int size, @DurationMin(seconds = 1) Duration ttl) {

}
