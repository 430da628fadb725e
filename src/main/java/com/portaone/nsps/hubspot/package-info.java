/**
 * NSPS to HubSpot contacts connector.
 */
@NullMarked
package com.portaone.nsps.hubspot;

import org.jspecify.annotations.NullMarked;
