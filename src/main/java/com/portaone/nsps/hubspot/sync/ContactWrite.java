package com.portaone.nsps.hubspot.sync;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.portaone.nsps.hubspot.client.ContactInput;
import org.jspecify.annotations.Nullable;

/**
 * One contact's planned write (see {@link ContactPlanner}): the events queued for it,
 * merged into one input holding, per property, the newest value HubSpot does not hold
 * yet. Addressed by email (a batch upsert), or by HubSpot's record id when the
 * subscriber's email changes (a batch update), since an upsert cannot change the email it
 * is keyed by. A write made again another way (by email, with every value) shares its
 * origin's doubt and confirmation, so that the round knows what became of the contact
 * whichever way it went.
 */
final class ContactWrite {

	private final String key;

	private final @Nullable Long account;

	private final List<PendingEvent> events;

	private final String email;

	private final @Nullable String recordId;

	private final @Nullable String formerEmail;

	private final Map<String, String> properties;

	private final Map<String, String> unchanged;

	private final long[] slots;

	private final boolean expectsContact;

	private final Fate fate;

	private volatile boolean settled;

	/**
	 * @param key the subscriber
	 * @param account the subscriber's account, when known
	 * @param events the contact's events, oldest data first
	 * @param email the email HubSpot finds the contact by after the write
	 * @param recordId the contact to change the email of; null for an upsert by email
	 * @param formerEmail an email an unconfirmed write may have given a contact HubSpot
	 * then holds; looked up first, so that the email change goes to that contact
	 * @param properties the properties to write, the email included
	 * @param unchanged the events' newest values HubSpot holds already, left out
	 * @param slots per property the time and hash to record once HubSpot confirms, or a
	 * time to advance (hash 0)
	 * @param expectsContact whether the store knows HubSpot's record of the contact
	 */
	ContactWrite(String key, @Nullable Long account, List<PendingEvent> events, String email, @Nullable String recordId,
			@Nullable String formerEmail, Map<String, String> properties, Map<String, String> unchanged, long[] slots,
			boolean expectsContact) {
		this(key, account, events, email, recordId, formerEmail, properties, unchanged, slots, expectsContact,
				new Fate());
	}

	private ContactWrite(String key, @Nullable Long account, List<PendingEvent> events, String email,
			@Nullable String recordId, @Nullable String formerEmail, Map<String, String> properties,
			Map<String, String> unchanged, long[] slots, boolean expectsContact, Fate fate) {
		this.key = key;
		this.account = account;
		this.events = List.copyOf(events);
		this.email = email;
		this.recordId = recordId;
		this.formerEmail = formerEmail;
		this.properties = Map.copyOf(properties);
		this.unchanged = Map.copyOf(unchanged);
		this.slots = slots.clone();
		this.expectsContact = expectsContact;
		this.fate = fate;
	}

	String key() {
		return this.key;
	}

	List<PendingEvent> events() {
		return this.events;
	}

	String email() {
		return this.email;
	}

	Map<String, String> properties() {
		return this.properties;
	}

	/** Whether the write changes the email of a known contact, by its record id. */
	boolean changesEmail() {
		return this.recordId != null;
	}

	/** The email to look the contact up by before writing, if any. */
	@Nullable String formerEmail() {
		return this.formerEmail;
	}

	/**
	 * The same write as an email change of the contact HubSpot holds under its former
	 * email.
	 */
	ContactWrite ofRecord(String recordId) {
		return new ContactWrite(this.key, this.account, this.events, this.email, recordId, null, this.properties,
				this.unchanged, this.slots, true, this.fate);
	}

	/** The same write without a former email to look up. */
	ContactWrite asPlanned() {
		return new ContactWrite(this.key, this.account, this.events, this.email, this.recordId, null, this.properties,
				this.unchanged, this.slots, this.expectsContact, this.fate);
	}

	/** Whether the store knew HubSpot's record of the contact before this write. */
	boolean expectsContact() {
		return this.expectsContact;
	}

	/** Whether HubSpot held values of the events that the write leaves out. */
	boolean leavesOutValues() {
		return !this.unchanged.isEmpty();
	}

	/**
	 * The same write as an upsert by its email, with every value of its events: for a
	 * contact HubSpot does not have as the store knew it (deleted, or another contact
	 * that holds the new email), which holds none of them.
	 */
	ContactWrite everyValueByEmail() {
		Map<String, String> all = new LinkedHashMap<>(this.properties);
		all.putAll(this.unchanged);
		long[] written = this.slots.clone();
		this.unchanged.forEach((property, value) -> {
			int p = ContactState.PROPERTIES.indexOf(property);
			written[p * ContactState.SLOT + 1] = ValueHash.of(value);
		});
		return new ContactWrite(this.key, this.account, this.events, this.email, null, null, all, Map.of(), written,
				false, this.fate);
	}

	/**
	 * The id HubSpot echoes in a batch answer's results and errors: the newest event's
	 * id.
	 */
	String traceId() {
		return this.events.get(this.events.size() - 1).upsert().eventId();
	}

	ContactInput input() {
		return (this.recordId != null) ? ContactInput.byRecordId(this.recordId, this.properties, traceId())
				: ContactInput.byEmail(this.email, this.properties, traceId());
	}

	/**
	 * What HubSpot's confirmation teaches the store.
	 * @param recordId the contact HubSpot wrote, as its answer names it
	 * @param confirmedAtMillis when
	 */
	ContactChange confirmed(@Nullable String recordId, long confirmedAtMillis) {
		this.fate.confirmed.set(true);
		long[] confirmed = this.slots.clone();
		int email = ContactState.EMAIL_INDEX * ContactState.SLOT;
		if (confirmed[email] != 0 && confirmed[email + 1] == 0) {
			// Every input carries the email: the contact holds it now, and the account
			// owns it, though it was known before (from events that had no account).
			confirmed[email + 1] = ValueHash.of(this.email.toLowerCase(Locale.ROOT));
		}
		for (int at = 0; at < confirmed.length; at += ContactState.SLOT) {
			if (confirmed[at + 1] != 0) {
				confirmed[at + 2] = confirmedAtMillis;
			}
		}
		boolean emailWritten = confirmed[email + 1] != 0;
		return new ContactChange(this.key, recordId, emailWritten ? this.email : null, confirmed, eventIds(),
				this.account, null);
	}

	/**
	 * What the store must know of a write that was never confirmed, which HubSpot may
	 * have applied all the same (SPEC §4): the values it sent, which HubSpot may hold
	 * instead of the known ones, and, while no contact was known, the email it tried,
	 * under which it may have made one; null when it was confirmed.
	 */
	@Nullable ContactChange unconfirmed() {
		if (this.fate.confirmed.get()) {
			return null;
		}
		long[] sent = new long[this.slots.length];
		for (int at = 0; at < sent.length; at += ContactState.SLOT) {
			if (this.slots[at + 1] != 0) {
				sent[at] = this.slots[at];
				sent[at + 1] = this.slots[at + 1];
				sent[at + 2] = ContactChange.NEVER_CONFIRMED;
			}
		}
		String tried = (this.expectsContact || this.account == null) ? null : this.email;
		return new ContactChange(this.key, null, null, sent, List.of(), this.account, tried);
	}

	List<String> eventIds() {
		return this.events.stream().map((event) -> event.upsert().eventId()).toList();
	}

	/**
	 * Whether the write is still to be made: neither confirmed nor refused, and some
	 * event still waits for its answer.
	 */
	boolean isOpen() {
		return !this.settled && this.events.stream().anyMatch((event) -> !event.isAnswered());
	}

	/** HubSpot confirmed or refused the write: it is not sent again. */
	void settle() {
		this.settled = true;
	}

	/**
	 * A request that carried the write got no answer: HubSpot may still apply it until
	 * then.
	 */
	void inDoubtUntil(long nanos) {
		this.fate.inDoubtUntil.accumulateAndGet(nanos,
				(known, given) -> (known == 0 || given - known > 0) ? given : known);
	}

	/** Until when HubSpot may still apply a request of this write; 0 when none. */
	long inDoubtUntilNanos() {
		return this.fate.inDoubtUntil.get();
	}

	/** The latest deadline of the writes' events: requests go on while any waits. */
	static Deadline latestDeadline(Collection<ContactWrite> writes) {
		return writes.stream()
			.flatMap((write) -> write.events.stream())
			.map(PendingEvent::deadline)
			.max(Comparator.comparingLong(Deadline::expiresAtNanos))
			.orElseThrow();
	}

	static List<PendingEvent> events(Collection<ContactWrite> writes) {
		return writes.stream().flatMap((write) -> write.events.stream()).toList();
	}

	@Override
	public String toString() {
		return "ContactWrite[" + this.key + ((this.recordId != null) ? ", record " + this.recordId : "") + "]";
	}

	/** What became of a write, whichever way it was made in the end. */
	private static final class Fate {

		private final AtomicLong inDoubtUntil = new AtomicLong();

		private final AtomicBoolean confirmed = new AtomicBoolean();

	}

}
