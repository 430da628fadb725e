package com.portaone.nsps.hubspot.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What was written to HubSpot and is confirmed: per contact, the time of the value last
 * written for each property (so that an older event never overwrites a newer value), and
 * the ids of events whose write HubSpot confirmed (so that a redelivery is acknowledged
 * without writing again). Both are bounded in size and kept for a limited time.
 */
interface OrderingStore {

	/**
	 * The property times of each contact asked; a contact with none known is left out.
	 */
	Map<String, PropertyTimes> propertyTimes(Collection<String> contactKeys);

	/**
	 * Notes confirmed writes, all at once: each property's time becomes the later of the
	 * known one and the given one.
	 */
	void written(List<Written> writes);

	/** Notes one confirmed write. */
	default void written(String contactKey, PropertyTimes times, Collection<String> eventIds) {
		written(List.of(new Written(contactKey, times, eventIds)));
	}

	/** Whether HubSpot confirmed the write of this event. */
	boolean isConfirmed(String eventId);

	/** A write HubSpot confirmed: the contact, its properties' times, its events. */
	record Written(String contactKey, PropertyTimes times, Collection<String> eventIds) {

	}

}
