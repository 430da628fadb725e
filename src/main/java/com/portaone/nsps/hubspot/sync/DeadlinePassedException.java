package com.portaone.nsps.hubspot.sync;

/**
 * The event's deadline passed before its write could be made.
 */
class DeadlinePassedException extends RuntimeException {

	DeadlinePassedException() {
		super("The event deadline passed");
	}

}
