package com.portaone.nsps.hubspot.sync;

import java.util.List;

/**
 * Writes contacts taken off the queue to HubSpot and answers every event they carry.
 */
interface ContactWriter {

	/**
	 * @param entries distinct contacts, each with the events queued for it
	 * @param permitHeld whether the caller already took the first request's permit
	 */
	void write(List<BatchEntry> entries, boolean permitHeld);

	/** The most contacts one request can carry. */
	int maxContacts();

}
