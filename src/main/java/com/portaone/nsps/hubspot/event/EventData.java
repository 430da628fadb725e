package com.portaone.nsps.hubspot.event;

import java.time.LocalDateTime;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The {@code data} part of an NSPS event.
 *
 * @param eventType for example {@code SIM/Created}
 * @param variables the event's variables, when it carries them
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record EventData(
		@JsonDeserialize(using = EventValues.Text.class) @NotNull(message = "is required") @Nullable String eventType,
		@JsonDeserialize(using = EventValues.Variables.class) @Nullable Variables variables) {

	/** {@code data.variables.event_time}, when the event carries one. */
	@Nullable LocalDateTime eventTime() {
		return (this.variables != null) ? this.variables.eventTime() : null;
	}

	/** {@code data.variables}: only the event's time is read. */
	@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
	record Variables(@JsonDeserialize(using = EventValues.EventTime.class) @Nullable LocalDateTime eventTime) {

	}

}
