package com.portaone.nsps.hubspot.sync;

import java.util.Arrays;
import java.util.List;

import com.portaone.nsps.hubspot.event.ContactMapping;
import org.jspecify.annotations.Nullable;

/**
 * What the connector knows HubSpot holds for one subscriber's contact: its record id, the
 * email last written, and per property (the email included) the time of the value last
 * written, a hash of that value and when HubSpot confirmed it. Immutable; a store keeps
 * one per subscriber and raises it with {@link #apply}, the same rule in every store.
 * <p>
 * Per property three longs: the event time (epoch ms) of the value last written, 0 for
 * none; its hash, 0 when the time was advanced without a write; the wall-clock time
 * (epoch ms) of HubSpot's confirmation.
 */
public final class ContactState {

	/** The properties, in the order of their slots. */
	public static final List<String> PROPERTIES = ContactMapping.PROPERTIES;

	/** Longs per property. */
	public static final int SLOT = 3;

	public static final ContactState NONE = new ContactState(null, null, null, new long[PROPERTIES.size() * SLOT]);

	private final @Nullable String recordId;

	private final @Nullable String email;

	private final @Nullable String triedEmail;

	private final long[] slots;

	private ContactState(@Nullable String recordId, @Nullable String email, @Nullable String triedEmail, long[] slots) {
		this.recordId = recordId;
		this.email = email;
		this.triedEmail = triedEmail;
		this.slots = slots;
	}

	/**
	 * A state as a store keeps it.
	 * @param slots {@link #SLOT} longs per property, in {@link #PROPERTIES}' order
	 */
	public static ContactState of(@Nullable String recordId, @Nullable String email, @Nullable String triedEmail,
			long[] slots) {
		if (slots.length != PROPERTIES.size() * SLOT) {
			throw new IllegalArgumentException("Expected " + PROPERTIES.size() * SLOT + " slots, got " + slots.length);
		}
		return new ContactState(recordId, email, triedEmail, slots.clone());
	}

	/** HubSpot's id of the contact, once a write of it was confirmed. */
	public @Nullable String recordId() {
		return this.recordId;
	}

	/** The email the connector last wrote to the contact. */
	public @Nullable String email() {
		return this.email;
	}

	/**
	 * The email of the latest write HubSpot never confirmed while no record was known: a
	 * contact may hold it.
	 */
	public @Nullable String triedEmail() {
		return this.triedEmail;
	}

	public long time(int property) {
		return this.slots[property * SLOT];
	}

	public long hash(int property) {
		return this.slots[property * SLOT + 1];
	}

	public long confirmedAt(int property) {
		return this.slots[property * SLOT + 2];
	}

	public long[] slots() {
		return this.slots.clone();
	}

	public boolean isEmpty() {
		return this.recordId == null && this.email == null && this.triedEmail == null
				&& Arrays.stream(this.slots).allMatch((slot) -> slot == 0);
	}

	/**
	 * The state after a change, property by property: a confirmed value (with a hash)
	 * replaces the known one unless that is newer, and an equal time is not older; an
	 * advance without a write (hash 0) only raises the time. So times only grow, whatever
	 * order changes arrive in. A value sent but never confirmed
	 * ({@link ContactChange#NEVER_CONFIRMED}) leaves the time and takes the confirmation
	 * away, whatever its time: HubSpot may have applied it, so no later event's value is
	 * taken for one HubSpot holds. The record id follows the change when it names one; a
	 * new record id (another contact, or one made anew) drops every hash of the old one.
	 * The email follows a confirmed email value.
	 */
	public ContactState apply(ContactChange change) {
		long[] merged = this.slots.clone();
		String email = this.email;
		if (change.recordId() != null && this.recordId != null && !change.recordId().equals(this.recordId)) {
			// Another contact now: what HubSpot held was the old one's, so nothing of it
			// counts as held any more; the times still order.
			for (int at = 0; at < merged.length; at += SLOT) {
				merged[at + 1] = 0;
				merged[at + 2] = 0;
			}
		}
		for (int p = 0; p < PROPERTIES.size(); p++) {
			long time = change.time(p);
			if (time == 0) {
				continue;
			}
			int at = p * SLOT;
			if (change.confirmedAt(p) == ContactChange.NEVER_CONFIRMED) {
				merged[at + 2] = 0;
			}
			else if (change.hash(p) != 0) {
				if (time >= merged[at]) {
					merged[at] = time;
					merged[at + 1] = change.hash(p);
					merged[at + 2] = change.confirmedAt(p);
					if (p == EMAIL_INDEX && change.email() != null) {
						email = change.email();
					}
				}
			}
			else if (time > merged[at]) {
				merged[at] = time;
			}
		}
		String recordId = (change.recordId() != null) ? change.recordId() : this.recordId;
		String tried = (change.triedEmail() != null) ? change.triedEmail() : this.triedEmail;
		return new ContactState(recordId, email, tried, merged);
	}

	/** The later of two states, property by property, as if each were applied. */
	ContactState mergedWith(ContactState other) {
		long[] merged = this.slots.clone();
		String email = this.email;
		for (int p = 0; p < PROPERTIES.size(); p++) {
			int at = p * SLOT;
			if (other.slots[at] > merged[at]) {
				System.arraycopy(other.slots, at, merged, at, SLOT);
				if (p == EMAIL_INDEX && other.email != null) {
					email = other.email;
				}
			}
		}
		return new ContactState((this.recordId != null) ? this.recordId : other.recordId,
				(email != null) ? email : other.email, (this.triedEmail != null) ? this.triedEmail : other.triedEmail,
				merged);
	}

	static final int EMAIL_INDEX = PROPERTIES.indexOf(ContactMapping.EMAIL);

	@Override
	public boolean equals(Object other) {
		return other instanceof ContactState state && Arrays.equals(this.slots, state.slots)
				&& java.util.Objects.equals(this.recordId, state.recordId)
				&& java.util.Objects.equals(this.email, state.email)
				&& java.util.Objects.equals(this.triedEmail, state.triedEmail);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.slots);
	}

	@Override
	public String toString() {
		return "ContactState[id=" + this.recordId + ", slots=" + Arrays.toString(this.slots) + "]";
	}

}
