package com.portaone.nsps.hubspot.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

/**
 * The contact store of one process, in memory: Caffeine caches bounded by
 * {@code REDELIVERY_STORE_SIZE} entries each and {@code REDELIVERY_STORE_TTL_DAYS} since
 * the last change. A restart forgets it.
 */
final class InProcessContactStore implements ContactStore {

	private final Cache<String, ContactState> states;

	private final Cache<String, Long> accounts;

	private final Cache<String, Boolean> confirmedEvents;

	InProcessContactStore(StoreSettings settings) {
		this.states = Caffeine.newBuilder().maximumSize(settings.size()).expireAfterWrite(settings.ttl()).build();
		this.accounts = Caffeine.newBuilder().maximumSize(settings.size()).expireAfterWrite(settings.ttl()).build();
		this.confirmedEvents = Caffeine.newBuilder()
			.maximumSize(settings.size())
			.expireAfterWrite(settings.ttl())
			.build();
	}

	@Override
	public Arrival arrival(String eventId, @Nullable String email) {
		boolean confirmed = this.confirmedEvents.getIfPresent(eventId) != null;
		Long account = (email != null) ? this.accounts.getIfPresent(email.toLowerCase(Locale.ROOT)) : null;
		return new Arrival(confirmed, account);
	}

	@Override
	public Snapshot snapshot(Collection<String> keys, Collection<String> emails) {
		Map<String, ContactState> states = new HashMap<>();
		for (String key : keys) {
			ContactState state = this.states.getIfPresent(key);
			if (state != null) {
				states.put(key, state);
			}
		}
		Map<String, Long> accounts = new HashMap<>();
		for (String email : emails) {
			Long account = this.accounts.getIfPresent(email);
			if (account != null) {
				accounts.put(email, account);
			}
		}
		return new Snapshot(states, accounts);
	}

	@Override
	public void record(List<ContactChange> changes) {
		for (ContactChange change : changes) {
			this.states.asMap()
				.compute(change.key(), (key, known) -> ((known != null) ? known : ContactState.NONE).apply(change));
			if (change.account() != null && change.email() != null) {
				this.accounts.put(change.email().toLowerCase(Locale.ROOT), change.account());
			}
			change.eventIds().forEach((id) -> this.confirmedEvents.put(id, Boolean.TRUE));
		}
	}

}
