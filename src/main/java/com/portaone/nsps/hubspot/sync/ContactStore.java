package com.portaone.nsps.hubspot.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the connector remembers of HubSpot, per subscriber: the {@link ContactState}
 * (record id, email last written, per property the time, hash and confirmation of the
 * value last written); which account each email it wrote belongs to; and which events
 * HubSpot confirmed, so that a redelivery is acknowledged without writing again. Bounded,
 * and kept for {@code REDELIVERY_STORE_TTL_DAYS} after the last change. In the process,
 * or in Redis shared by the replicas; {@code redis.SharedStateConfiguration} chooses.
 */
public interface ContactStore {

	/**
	 * What an event's arrival needs to know, in one round trip.
	 * @param eventId the event
	 * @param email an email to find the account of, for an event without one; null when
	 * the event names its account
	 */
	Arrival arrival(String eventId, @Nullable String email);

	/**
	 * What is known of the subscribers and emails asked, in one round trip.
	 * @param keys subscribers' keys; one never written is left out of the answer
	 * @param emails emails in lower case, to find the accounts of; an unknown one is left
	 * out
	 */
	Snapshot snapshot(Collection<String> keys, Collection<String> emails);

	/**
	 * Applies changes, each atomically ({@link ContactState#apply}); all of one round at
	 * once.
	 */
	void record(List<ContactChange> changes);

	/** The store of one process, forgotten on restart. */
	static ContactStore inProcess(StoreSettings settings) {
		return new InProcessContactStore(settings);
	}

	/**
	 * @param states each known subscriber's state, by key
	 * @param accounts each known email's account, by lower-case email
	 */
	record Snapshot(Map<String, ContactState> states, Map<String, Long> accounts) {

	}

	/**
	 * @param confirmed whether HubSpot confirmed the event's write already
	 * @param account the account of the email asked, when known
	 */
	record Arrival(boolean confirmed, @Nullable Long account) {

	}

}
