package com.portaone.nsps.hubspot.event;

import jakarta.validation.Valid;

/**
 * The PortaBilling data NSPS enriched the event with. Absent parts are read as empty ones
 * so that each missing required field is reported by its own path.
 */
record PbData(@Valid AccountInfo accountInfo, @Valid SimInfo simInfo) {

}
