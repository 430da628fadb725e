package com.portaone.nsps.hubspot.sync;

import java.util.List;

import com.portaone.nsps.hubspot.client.Permit;

/**
 * Writes contacts taken off the queue to HubSpot and answers every event they carry.
 */
interface ContactWriter {

	/**
	 * @param writes distinct contacts, each with its planned write
	 * @param permit the first request's permit, taken by the dispatcher
	 */
	void write(List<ContactWrite> writes, Permit permit);

	/** The most contacts one request can carry. */
	int maxContacts();

}
