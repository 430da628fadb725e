package com.portaone.nsps.hubspot.event;

import java.time.LocalDateTime;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

/**
 * The {@code data} part of an NSPS event.
 *
 * @param eventType for example {@code SIM/Created}
 * @param eventTime {@code data.variables.event_time}, when the event carries one
 */
record EventData(@NotNull(message = "is required") @Nullable String eventType, @Nullable LocalDateTime eventTime) {

}
