package com.portaone.nsps.hubspot.event;

import com.portaone.nsps.hubspot.event.NspsEvent.SimCreated;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code pb_data.sim_info}: the SIM card. The IMSI pattern is configurable and therefore
 * declared in {@link EventValidation}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record SimInfo(
		@JsonDeserialize(using = EventValues.Integral.class) @NotNull(message = "is required",
				groups = SimCreated.class) @Nullable Long iSimCard,
		@JsonDeserialize(using = EventValues.Text.class) @NotNull(message = "is required",
				groups = SimCreated.class) @Nullable String imsi) {

	static final SimInfo EMPTY = new SimInfo(null, null);

}
