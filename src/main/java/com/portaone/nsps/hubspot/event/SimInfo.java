package com.portaone.nsps.hubspot.event;

import com.portaone.nsps.hubspot.event.NspsEvent.SimCreated;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

/**
 * {@code pb_data.sim_info}: the SIM card. The IMSI pattern is configurable and therefore
 * declared in {@link EventValidation}.
 */
record SimInfo(@NotNull(message = "is required", groups = SimCreated.class) @Nullable Long iSimCard,
		@NotNull(message = "is required", groups = SimCreated.class) @Nullable String imsi) {

	static SimInfo empty() {
		return new SimInfo(null, null);
	}

}
