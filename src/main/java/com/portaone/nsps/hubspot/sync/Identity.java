package com.portaone.nsps.hubspot.sync;

/**
 * Who an event belongs to. The subscriber, {@code account_info.i_account}, is the
 * identity; an event without one is identified by its email, and joins the account the
 * email belongs to when the connector knows it. The contact's email is how HubSpot finds
 * it, so a write also claims its emails: two writes that address one email never run at
 * once, whatever their keys.
 */
final class Identity {

	private Identity() {
	}

	/** The key of a subscriber's state. */
	static String ofAccount(long account) {
		return "a:" + account;
	}

	/** The key of an email whose account is unknown. */
	static String ofEmail(String emailKey) {
		return "e:" + emailKey;
	}

	/** The claim on an email (lower case), beside the key. */
	static String claimOfEmail(String emailKey) {
		return "@" + emailKey;
	}

	static boolean isAccount(String key) {
		return key.startsWith("a:");
	}

}
