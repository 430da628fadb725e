package com.portaone.nsps.hubspot.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * What a contact's queued events write (SPEC §4), against what the store knows HubSpot
 * holds: per-property ordering, the subscriber as the identity and its email changes, and
 * only changes written.
 */
class ContactPlannerTest {

	private static final long NOW = 1_780_000_000_000L;

	private static final Duration TTL = Duration.ofHours(24);

	private final ContactStore store = ContactStore.inProcess(new StoreSettings(100, Duration.ofDays(1)));

	private final ContactPlanner planner = new ContactPlanner(this.store, TTL,
			Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

	private long arrivals;

	@Test
	void eachPropertyTakesTheNewestValueUnlessANewerOneWasWritten() {
		written("a:1", "a@x.com", "51", 2000, Map.of("firstname", "Newest"));
		ContactWrite write = single(this.planner
			.plan(List.of(List.of(event("a:1", 1L, "a@x.com", 1000, Map.of("firstname", "Old", "lastname", "L")),
					event("a:1", 1L, "a@x.com", 1500, Map.of("phone", "5550000001"))))));
		// firstname was written by a newer event; lastname and phone are the newest there
		// are.
		assertThat(write.properties()).containsOnly(entry("email", "a@x.com"), entry("lastname", "L"),
				entry("phone", "5550000001"));
		assertThat(write.changesEmail()).isFalse();
	}

	@Test
	void anEqualTimeIsNotOlder() {
		written("a:1", "a@x.com", "51", 2000, Map.of("firstname", "First"));
		ContactWrite write = single(
				this.planner.plan(List.of(List.of(event("a:1", 1L, "a@x.com", 2000, Map.of("firstname", "Second"))))));
		assertThat(write.properties()).containsEntry("firstname", "Second");
	}

	@Test
	void eventsQueuedTogetherGoAsOneInputTheNewestValueOfEachProperty() {
		ContactWrite write = single(
				this.planner.plan(List.of(List.of(event("a:1", 1L, "a@x.com", 3000, Map.of("firstname", "C")),
						event("a:1", 1L, "A@x.com", 1000, Map.of("firstname", "A", "lastname", "A")),
						event("a:1", 1L, "a@x.com", 2000, Map.of("lastname", "B"))))));
		assertThat(write.properties()).contains(entry("firstname", "C"), entry("lastname", "B"));
		assertThat(write.events()).hasSize(3);
	}

	@Test
	void aNewEmailMovesTheSubscribersContactByItsRecordId() {
		written("a:1", "a.old@x.com", "51", 1000, Map.of("firstname", "Olena"));
		ContactWrite write = single(this.planner
			.plan(List.of(List.of(event("a:1", 1L, "a.new@x.com", 2000, Map.of("firstname", "Oksana"))))));
		assertThat(write.changesEmail()).isTrue();
		assertThat(write.input().id()).isEqualTo("51");
		assertThat(write.input().idProperty()).isNull();
		assertThat(write.properties()).contains(entry("email", "a.new@x.com"), entry("firstname", "Oksana"));
	}

	@Test
	void aNewEmailWithoutAKnownRecordIdIsWrittenByEmail() {
		written("a:1", "a.old@x.com", null, 1000, Map.of());
		ContactWrite write = single(
				this.planner.plan(List.of(List.of(event("a:1", 1L, "a.new@x.com", 2000, Map.of("lastname", "K"))))));
		assertThat(write.changesEmail()).isFalse();
		assertThat(write.input().id()).isEqualTo("a.new@x.com");
	}

	@Test
	void anOlderEventWithTheOldEmailIsAddressedByTheEmailLastWritten() {
		written("a:1", "a.new@x.com", "51", 2000, Map.of());
		ContactWrite write = single(
				this.planner.plan(List.of(List.of(event("a:1", 1L, "a.old@x.com", 1000, Map.of("lastname", "Late"))))));
		assertThat(write.changesEmail()).isFalse();
		assertThat(write.input().id()).isEqualTo("a.new@x.com");
		assertThat(write.properties()).containsOnly(entry("email", "a.new@x.com"), entry("lastname", "Late"));
	}

	@Test
	void anEmailInAnotherCaseIsNoChange() {
		written("a:1", "Ana@x.com", "51", 1000, Map.of("lastname", "K"));
		ContactPlanner.Plan plan = this.planner
			.plan(List.of(List.of(event("a:1", 1L, "ana@X.com", 2000, Map.of("lastname", "K")))));
		assertThat(plan.writes).isEmpty();
		assertThat(plan.nothingToWrite).singleElement().satisfies((none) -> assertThat(none.stale()).isEmpty());
	}

	@Test
	void valuesHubSpotHoldsAreNotSentButTheirTimesAdvance() {
		written("a:1", "a@x.com", "51", 1000, Map.of("firstname", "Olena", "lastname", "K"));
		ContactWrite write = single(this.planner.plan(List
			.of(List.of(event("a:1", 1L, "a@x.com", 2000, Map.of("firstname", "Olena", "lastname", "Koval"))))));
		assertThat(write.properties()).containsOnly(entry("email", "a@x.com"), entry("lastname", "Koval"));
		// Confirmed, the unchanged firstname's time advances too, without its hash.
		ContactChange change = write.confirmed("51", NOW);
		int firstname = ContactState.PROPERTIES.indexOf("firstname");
		assertThat(change.time(firstname)).isEqualTo(2000);
		assertThat(change.hash(firstname)).isZero();
	}

	@Test
	void anEventWhoseEveryValueHubSpotHoldsNeedsNoRequestAndIsUnchangedNotStale() {
		written("a:1", "a@x.com", "51", 1000, Map.of("firstname", "Olena"));
		ContactPlanner.Plan plan = this.planner
			.plan(List.of(List.of(event("a:1", 1L, "a@x.com", 2000, Map.of("firstname", "Olena")))));
		assertThat(plan.writes).isEmpty();
		assertThat(plan.nothingToWrite).singleElement().satisfies((none) -> {
			assertThat(none.stale()).isEmpty();
			assertThat(none.advance().time(ContactState.PROPERTIES.indexOf("firstname"))).isEqualTo(2000);
			assertThat(none.advance().eventIds()).hasSize(1);
		});
	}

	@Test
	void aValueConfirmedLongerAgoThanTheTtlIsSentAgain() {
		writtenAt("a:1", "a@x.com", "51", 1000, Map.of("firstname", "Olena"), NOW - TTL.toMillis() - 1);
		ContactWrite write = single(
				this.planner.plan(List.of(List.of(event("a:1", 1L, "a@x.com", 2000, Map.of("firstname", "Olena"))))));
		assertThat(write.properties()).containsEntry("firstname", "Olena");
	}

	@Test
	void anEventWhoseEveryPropertyNewerEventsWroteIsStale() {
		written("a:1", "a@x.com", "51", 3000, Map.of("firstname", "New"));
		ContactPlanner.Plan plan = this.planner
			.plan(List.of(List.of(event("a:1", 1L, "a@x.com", 1000, Map.of("firstname", "Old")))));
		assertThat(plan.writes).isEmpty();
		assertThat(plan.nothingToWrite).singleElement().satisfies((none) -> assertThat(none.stale()).hasSize(1));
	}

	@Test
	void anEventQueuedUnderItsEmailMovesToTheAccountTheEmailIsKnownFor() {
		written("a:7", "known@x.com", "51", 1000, Map.of());
		PendingEvent event = event("e:known@x.com", null, "known@x.com", 2000, Map.of("lastname", "K"));
		ContactPlanner.Plan plan = this.planner.plan(List.of(List.of(event)));
		assertThat(plan.writes).isEmpty();
		assertThat(plan.moved).containsExactly(event);
		assertThat(event.contactKey()).isEqualTo("a:7");
	}

	@Test
	void whatWasWrittenUnderAnEmailBeforeItsAccountWasKnownCountsForTheAccount() {
		written("e:late@x.com", "late@x.com", "51", 3000, Map.of("firstname", "Newer"));
		ContactWrite write = single(this.planner.plan(
				List.of(List.of(event("a:8", 8L, "late@x.com", 1000, Map.of("firstname", "Older", "lastname", "L"))))));
		assertThat(write.properties()).doesNotContainKey("firstname").containsEntry("lastname", "L");
	}

	@Test
	void theAccountsFirstWriteOwnsAnEmailKnownOnlyFromEventsWithoutAnAccount() {
		written("e:late@x.com", "late@x.com", "51", 1000, Map.of());
		ContactWrite write = single(
				this.planner.plan(List.of(List.of(event("a:8", 8L, "late@x.com", 2000, Map.of("lastname", "L"))))));
		this.store.record(List.of(write.confirmed("51", NOW)));
		// The next event with only the email joins the account, ordered by its times.
		assertThat(this.store.arrival("evt-next", "Late@x.com").account()).isEqualTo(8L);
		assertThat(this.store.snapshot(List.of("a:8"), List.of()).states().get("a:8").email()).isEqualTo("late@x.com");
	}

	private static ContactWrite single(ContactPlanner.Plan plan) {
		assertThat(plan.writes).hasSize(1);
		return plan.writes.get(0);
	}

	private void written(String key, String email, @Nullable String recordId, long time, Map<String, String> values) {
		writtenAt(key, email, recordId, time, values, NOW - 1000);
	}

	/**
	 * As a confirmed write of these values (and the email) at {@code time} would leave
	 * it.
	 */
	private void writtenAt(String key, String email, @Nullable String recordId, long time, Map<String, String> values,
			long confirmedAt) {
		long[] slots = new long[ContactState.PROPERTIES.size() * ContactState.SLOT];
		Map<String, String> all = new LinkedHashMap<>(values);
		all.put("email", email.toLowerCase(java.util.Locale.ROOT));
		all.forEach((property, value) -> {
			int p = ContactState.PROPERTIES.indexOf(property);
			slots[p * ContactState.SLOT] = time;
			slots[p * ContactState.SLOT + 1] = ValueHash.of(value);
			slots[p * ContactState.SLOT + 2] = confirmedAt;
		});
		Long account = Identity.isAccount(key) ? Long.valueOf(key.substring(2)) : null;
		this.store.record(List.of(new ContactChange(key, recordId, email, slots, List.of(), account, null)));
	}

	private PendingEvent event(String key, @Nullable Long account, String email, long time,
			Map<String, String> changed) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("email", email);
		properties.putAll(changed);
		return new PendingEvent(
				new ContactUpsert("evt-" + (++this.arrivals), "SIM/Updated", account, email, properties, null), key,
				time, this.arrivals, Deadline.after(Duration.ofSeconds(10)), WriteSpans.EventSpan.NONE);
	}

}
