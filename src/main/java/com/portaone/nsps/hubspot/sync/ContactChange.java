package com.portaone.nsps.hubspot.sync;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What one round learned about a contact, for the {@link ContactStore} to apply: values
 * HubSpot confirmed, times advanced without a write, values sent but never confirmed, the
 * record id HubSpot answered with, the events now confirmed, and, for a subscriber, that
 * its email belongs to it.
 *
 * @param key the subscriber's key (see {@link Identity})
 * @param recordId HubSpot's id of the contact, when an answer named it
 * @param email the email confirmed, when the email's value was written
 * @param slots {@link ContactState#SLOT} longs per property: time (0 leaves the property
 * alone), hash (0 only advances the time), confirmation time ({@link #NEVER_CONFIRMED}
 * for a value sent whose write HubSpot never confirmed)
 * @param eventIds events whose write is confirmed, or needs none
 * @param account the subscriber's account, so that {@code email} leads to it
 * @param triedEmail the email of a write HubSpot never confirmed, which may have made a
 * contact: an email change before any confirmation looks it up
 */
public record ContactChange(String key, @Nullable String recordId, @Nullable String email, long[] slots,
		List<String> eventIds, @Nullable Long account, @Nullable String triedEmail) {

	/**
	 * The confirmation time of a value sent in a write HubSpot never confirmed: HubSpot
	 * may hold it or the one before, so the known value no longer counts as held.
	 */
	public static final long NEVER_CONFIRMED = -1;

	public ContactChange {
		slots = slots.clone();
		eventIds = List.copyOf(eventIds);
	}

	public long time(int property) {
		return this.slots[property * ContactState.SLOT];
	}

	public long hash(int property) {
		return this.slots[property * ContactState.SLOT + 1];
	}

	public long confirmedAt(int property) {
		return this.slots[property * ContactState.SLOT + 2];
	}

}
