package com.portaone.nsps.hubspot.sync;

/**
 * HubSpot answered a batch with 2xx without listing some of its inputs: their writes are
 * not confirmed, so they are sent again.
 */
class UnconfirmedWriteException extends RuntimeException {

	UnconfirmedWriteException(int inputs) {
		super("HubSpot answered without confirming the write of " + inputs + " contact(s)");
	}

}
