package com.portaone.nsps.hubspot.sync;

import java.util.List;

/**
 * Where the {@link ContactWriter} reports what HubSpot did with each write, as soon as it
 * knows: a confirmation is recorded in the store and answered before the rest of a
 * narrowed batch is sent.
 */
interface WriteListener {

	/** HubSpot's answer lists these writes as written. */
	void confirmed(List<Confirmed> writes);

	/** HubSpot refused the write, or it failed for good; it is not sent again. */
	void failed(ContactWrite write, RuntimeException failure);

	/**
	 * @param write the write
	 * @param recordId the contact HubSpot wrote, as its answer names it
	 */
	record Confirmed(ContactWrite write, String recordId) {

	}

}
