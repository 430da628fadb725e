/**
 * NSPS events: reading and validating them, and mapping them to HubSpot contact
 * properties.
 */
@NullMarked
package com.portaone.nsps.hubspot.event;

import org.jspecify.annotations.NullMarked;
