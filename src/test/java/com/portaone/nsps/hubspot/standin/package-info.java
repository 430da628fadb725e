/**
 * Local stand-in for HubSpot's CRM contacts API, for tests and local dev runs.
 */
@NullMarked
package com.portaone.nsps.hubspot.standin;

import org.jspecify.annotations.NullMarked;
