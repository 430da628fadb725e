package com.portaone.nsps.hubspot.event;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One NSPS event as delivered to {@code /process-event}, reduced to the fields the
 * connector uses, as Jackson binds it: the records declare the fields, their JSON names
 * (snake case) and their rules, once. Unknown fields are skipped.
 *
 * @param eventId identifies one delivery; a redelivery carries the same id
 * @param data the event type and its variables
 * @param pbData the PortaBilling data the event was enriched with
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NspsEvent(
		@JsonDeserialize(using = EventValues.Text.class) @NotNull(message = "is required") @Nullable String eventId,
		@JsonDeserialize(using = EventValues.Data.class) @NotNull(
				message = "is required") @Valid @Nullable EventData data,
		@JsonDeserialize(using = EventValues.Enrichment.class) @NotNull(
				message = "is required") @Valid @Nullable PbData pbData) {

	public static final String SIM_CREATED = "SIM/Created";

	public static final String SIM_UPDATED = "SIM/Updated";

	/** The event type, or an empty string when the envelope has none. */
	public String eventType() {
		return (this.data != null && this.data.eventType() != null) ? this.data.eventType() : "";
	}

	public boolean isSupported() {
		return SIM_CREATED.equals(eventType()) || SIM_UPDATED.equals(eventType());
	}

	/** Validation group of the fields a SIM/Created event must carry. */
	public interface SimCreated {

	}

	/** Validation group of the fields a SIM/Updated event must carry. */
	public interface SimUpdated {

	}

}
