package com.portaone.nsps.hubspot.event;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The PortaBilling data NSPS enriched the event with. Absent parts are read as empty ones
 * so that each missing required field is reported by its own path.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record PbData(@JsonDeserialize(using = EventValues.Account.class) @Valid AccountInfo accountInfo,
		@JsonDeserialize(using = EventValues.Sim.class) @Valid SimInfo simInfo) {

	PbData(@Nullable AccountInfo accountInfo, @Nullable SimInfo simInfo) {
		this.accountInfo = (accountInfo != null) ? accountInfo : AccountInfo.EMPTY;
		this.simInfo = (simInfo != null) ? simInfo : SimInfo.EMPTY;
	}

}
