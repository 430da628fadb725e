/**
 * HubSpot CRM: the contacts API client, its error bodies and the request budget shared by
 * every write.
 */
@NullMarked
package com.portaone.nsps.hubspot.client;

import org.jspecify.annotations.NullMarked;
