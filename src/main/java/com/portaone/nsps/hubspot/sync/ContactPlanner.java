package com.portaone.nsps.hubspot.sync;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.portaone.nsps.hubspot.event.ContactMapping;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Decides what each contact's queued events write (SPEC §4), against what the
 * {@link ContactStore} knows HubSpot holds:
 * <ul>
 * <li>ordering per property: each property takes the value of the newest event that
 * carries it, unless a newer event wrote it already; an equal time is not older;</li>
 * <li>identity: the write goes to the subscriber's contact. When the newest email differs
 * from the one last written, the contact that holds the old email gets the new one by its
 * record id; an older event that still carries the old email never brings it back, and is
 * addressed by the email last written;</li>
 * <li>only changes: a value HubSpot confirmed within {@code HUBSPOT_UNCHANGED_TTL_HOURS}
 * is not sent again; its time still advances.</li>
 * </ul>
 * A contact left with nothing to send needs no request. Events queued under their email
 * whose account the store has learned since are moved to it, and queued again.
 */
@Component
class ContactPlanner {

	private static final Logger log = LoggerFactory.getLogger(ContactPlanner.class);

	private static final int EMAIL = ContactState.EMAIL_INDEX;

	private static final Comparator<PendingEvent> OLDEST_DATA_FIRST = Comparator
		.comparingLong(PendingEvent::effectiveMillis)
		.thenComparingLong(PendingEvent::arrival);

	private final ContactStore store;

	private final Duration unchangedTtl;

	private final Clock clock;

	@Autowired
	ContactPlanner(ContactStore store, SyncSettings settings) {
		this(store, settings.unchangedTtl(), Clock.systemUTC());
	}

	ContactPlanner(ContactStore store, Duration unchangedTtl, Clock clock) {
		this.store = store;
		this.unchangedTtl = unchangedTtl;
		this.clock = clock;
	}

	/**
	 * @param contacts each contact's queued events, no key twice
	 * @return the writes to make, the contacts that need none, the events to queue again
	 */
	Plan plan(List<List<PendingEvent>> contacts) {
		Set<String> keys = new LinkedHashSet<>();
		Set<String> emails = new LinkedHashSet<>();
		for (List<PendingEvent> events : contacts) {
			String key = events.get(0).contactKey();
			keys.add(key);
			for (PendingEvent event : events) {
				if (Identity.isAccount(key)) {
					// What was written under the email before its account was known.
					keys.add(Identity.ofEmail(event.upsert().emailKey()));
				}
				else {
					emails.add(event.upsert().emailKey());
				}
			}
		}
		ContactStore.Snapshot known = this.store.snapshot(keys, emails);
		Plan plan = new Plan();
		long now = this.clock.millis();
		for (List<PendingEvent> events : contacts) {
			String key = events.get(0).contactKey();
			if (!Identity.isAccount(key)) {
				Long account = known.accounts().get(events.get(0).upsert().emailKey());
				if (account != null) {
					events.forEach((event) -> event.belongsTo(Identity.ofAccount(account)));
					plan.moved.addAll(events);
					continue;
				}
			}
			ContactState state = known.states().getOrDefault(key, ContactState.NONE);
			if (Identity.isAccount(key)) {
				for (PendingEvent event : events) {
					ContactState byEmail = known.states().get(Identity.ofEmail(event.upsert().emailKey()));
					if (byEmail != null) {
						state = state.mergedWith(byEmail);
					}
				}
			}
			plan(key, events.stream().sorted(OLDEST_DATA_FIRST).toList(), state, now, plan);
		}
		return plan;
	}

	private void plan(String key, List<PendingEvent> events, ContactState state, long now, Plan plan) {
		PendingEvent newest = events.get(events.size() - 1);
		Long account = accountOf(events);
		long[] slots = new long[ContactState.PROPERTIES.size() * ContactState.SLOT];
		// The email: the newest event's, unless a newer one was written already.
		String known = state.email();
		boolean emailSuperseded = state.time(EMAIL) > newest.effectiveMillis();
		String email = (emailSuperseded && known != null) ? known : newest.upsert().email();
		boolean emailChanges = known != null && !known.equalsIgnoreCase(email);
		if (!emailSuperseded) {
			boolean write = known == null || emailChanges;
			set(slots, EMAIL, newest.effectiveMillis(), write ? ValueHash.of(email.toLowerCase(Locale.ROOT)) : 0);
		}
		Map<String, String> changed = new LinkedHashMap<>();
		Map<String, String> unchanged = new LinkedHashMap<>();
		for (int p = 0; p < ContactState.PROPERTIES.size(); p++) {
			if (p == EMAIL) {
				continue;
			}
			String property = ContactState.PROPERTIES.get(p);
			PendingEvent source = newestCarrying(events, property);
			if (source == null || state.time(p) > source.effectiveMillis()) {
				continue;
			}
			String value = source.upsert().properties().get(property);
			long hash = ValueHash.of(value);
			if (holds(state, p, hash, now)) {
				set(slots, p, source.effectiveMillis(), 0);
				unchanged.put(property, value);
			}
			else {
				changed.put(property, value);
				set(slots, p, source.effectiveMillis(), hash);
			}
		}
		boolean writesEmail = slots[EMAIL * ContactState.SLOT + 1] != 0;
		if (changed.isEmpty() && !writesEmail) {
			plan.nothingToWrite.add(new NothingToWrite(events,
					new ContactChange(key, null, null, slots, eventIds(events), account, null),
					staleEvents(events, state)));
			return;
		}
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(ContactMapping.EMAIL, email);
		properties.putAll(changed);
		String recordId = emailChanges ? state.recordId() : null;
		if (emailChanges) {
			log.info("The subscriber's email changed; {}",
					(recordId != null) ? "the contact is updated by its record id"
							: "its record id is unknown, so it is written by email");
		}
		// A write never confirmed may have made a contact of another email: look it up.
		String tried = state.triedEmail();
		String former = (state.recordId() == null && tried != null && !emailSuperseded
				&& !tried.equalsIgnoreCase(email)) ? tried : null;
		plan.writes.add(new ContactWrite(key, account, events, email, recordId, former, properties, unchanged, slots,
				state.recordId() != null));
	}

	/** Whether HubSpot holds the value: confirmed with this hash within the TTL. */
	private boolean holds(ContactState state, int property, long hash, long now) {
		return !this.unchangedTtl.isZero() && state.hash(property) == hash && state.confirmedAt(property) > 0
				&& now - state.confirmedAt(property) < this.unchangedTtl.toMillis();
	}

	private static void set(long[] slots, int property, long time, long hash) {
		slots[property * ContactState.SLOT] = time;
		slots[property * ContactState.SLOT + 1] = hash;
	}

	private static @Nullable Long accountOf(List<PendingEvent> events) {
		for (int i = events.size() - 1; i >= 0; i--) {
			Long account = events.get(i).upsert().account();
			if (account != null) {
				return account;
			}
		}
		String key = events.get(0).contactKey();
		return Identity.isAccount(key) ? Long.valueOf(key.substring(2)) : null;
	}

	private static @Nullable PendingEvent newestCarrying(List<PendingEvent> events, String property) {
		for (int i = events.size() - 1; i >= 0; i--) {
			if (events.get(i).upsert().properties().containsKey(property)) {
				return events.get(i);
			}
		}
		return null;
	}

	/** The events whose every property newer events had written. */
	private static List<PendingEvent> staleEvents(List<PendingEvent> events, ContactState state) {
		List<PendingEvent> stale = new ArrayList<>();
		for (PendingEvent event : events) {
			boolean allNewer = true;
			for (String property : event.upsert().properties().keySet()) {
				int p = ContactState.PROPERTIES.indexOf(property);
				if (p >= 0 && state.time(p) <= event.effectiveMillis()) {
					allNewer = false;
					break;
				}
			}
			if (allNewer) {
				stale.add(event);
			}
		}
		return stale;
	}

	private static List<String> eventIds(List<PendingEvent> events) {
		return events.stream().map((event) -> event.upsert().eventId()).toList();
	}

	/** What one round writes, and what needs no write. */
	static final class Plan {

		final List<ContactWrite> writes = new ArrayList<>();

		final List<NothingToWrite> nothingToWrite = new ArrayList<>();

		final List<PendingEvent> moved = new ArrayList<>();

	}

	/**
	 * A contact whose events need no request: the times to advance, and which of its
	 * events were stale rather than unchanged.
	 */
	record NothingToWrite(List<PendingEvent> events, ContactChange advance, List<PendingEvent> stale) {

	}

}
