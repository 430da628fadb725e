package com.portaone.nsps.hubspot.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ordering per property (SPEC §4): what each event still writes against what was
 * confirmed already, and when a redelivery is acknowledged without writing.
 */
class WriteOrderingTest {

	private static final LocalDateTime T0 = LocalDateTime.of(2026, 5, 1, 12, 0);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ConnectorMetrics metrics = new ConnectorMetrics(this.registry);

	private final OrderingStore store = new LocalOrderingStore(new RedeliverySettings(1000, Duration.ofDays(7)));

	private final WriteOrdering ordering = new WriteOrdering(this.store, this.metrics);

	private final AtomicLong arrivals = new AtomicLong();

	@Test
	void aNewerEventsPropertiesAreLeftOutButTheOthersAreWritten() {
		confirm(write(event("e2", T0.plusMinutes(2), "firstname", "New")));
		ContactWrite older = plan(event("e1", T0.plusMinutes(1), "firstname", "Old", "lastname", "Kept"));
		assertThat(older.properties()).containsOnly(Map.entry("email", "a@x.com"), Map.entry("lastname", "Kept"));
		assertThat(older.events()).allSatisfy((event) -> assertThat(event.isAnswered()).isFalse());
	}

	@Test
	void anEqualTimeIsNotOlder() {
		confirm(write(event("e1", T0, "firstname", "One")));
		ContactWrite same = plan(event("e2", T0, "firstname", "Two"));
		assertThat(same.properties()).containsEntry("firstname", "Two");
	}

	@Test
	void anEventWhoseEveryPropertyWasWrittenByNewerOnesIsAcknowledgedWithoutAWrite() {
		confirm(write(event("e2", T0.plusMinutes(2), "firstname", "New", "lastname", "New")));
		PendingWrite older = event("e1", T0.plusMinutes(1), "firstname", "Old");
		assertThat(this.ordering.plan(List.of(List.of(older)))).isEmpty();
		assertThat(older.outcome()).isCompletedWithValue(new SyncOutcome.Synced());
		assertThat(this.registry.counter(ConnectorMetrics.EVENTS_STALE).count()).isEqualTo(1);
		// Not confirmed: a redelivery is planned again, not waved through.
		assertThat(this.store.isConfirmed("e1")).isFalse();
	}

	@Test
	void anEventThatCarriesOnlyTheEmailIsStillWritten() {
		ContactWrite write = plan(event("e1", T0));
		assertThat(write.properties()).containsOnlyKeys("email");
	}

	@Test
	void queuedEventsMergeNewestValueFirstWhateverTheArrivalOrder() {
		PendingWrite newer = event("e2", T0.plusMinutes(2), "firstname", "New");
		PendingWrite older = event("e1", T0.plusMinutes(1), "firstname", "Old", "lastname", "Kept");
		ContactWrite write = this.ordering.plan(List.of(List.of(newer, older))).get(0);
		assertThat(write.properties()).containsEntry("firstname", "New").containsEntry("lastname", "Kept");
		assertThat(write.traceId()).isEqualTo("e2");
		confirm(write);
		assertThat(this.store.propertyTimes(List.of("a@x.com")).get("a@x.com").of("firstname"))
			.isEqualTo(millis(T0.plusMinutes(2)));
		assertThat(this.store.propertyTimes(List.of("a@x.com")).get("a@x.com").of("lastname"))
			.isEqualTo(millis(T0.plusMinutes(1)));
	}

	@Test
	void onlyAConfirmedWriteIsRememberedAndOnlyItsEventsCountAsRedeliveries() {
		ContactWrite write = write(event("e1", T0, "firstname", "One"));
		assertThat(this.ordering.isRedelivery(upsert("e1", T0))).isFalse();
		assertThat(this.store.propertyTimes(List.of("a@x.com"))).isEmpty();
		confirm(write);
		assertThat(this.ordering.isRedelivery(upsert("e1", T0))).isTrue();
		assertThat(this.ordering.isRedelivery(upsert("e9", T0))).isFalse();
	}

	@Test
	void timesOnlyGrow() {
		confirm(write(event("e2", T0.plusMinutes(2), "firstname", "New")));
		this.store.written("a@x.com", PropertyTimes.NONE.with("firstname", millis(T0)), List.of("e0"));
		assertThat(this.store.propertyTimes(List.of("a@x.com")).get("a@x.com").of("firstname"))
			.isEqualTo(millis(T0.plusMinutes(2)));
	}

	@Test
	void anEventTimeFarAheadCountsAsTheTimeOfReceipt() {
		Instant now = Instant.parse("2026-11-29T10:00:00Z");
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		EventTimes times = new EventTimes(settings(Duration.ofMinutes(5)), new ConnectorMetrics(registry),
				Clock.fixed(now, ZoneOffset.UTC));
		assertThat(times.effectiveMillis(upsert("e1", LocalDateTime.of(2099, 1, 1, 0, 0))))
			.isEqualTo(now.toEpochMilli());
		assertThat(registry.counter(ConnectorMetrics.EVENTS_FUTURE_DATED).count()).isEqualTo(1);
		// Within the skew, the stated time stands; without one, the receipt counts.
		LocalDateTime soon = LocalDateTime.ofInstant(now.plusSeconds(120), ZoneOffset.UTC);
		assertThat(times.effectiveMillis(upsert("e2", soon))).isEqualTo(now.plusSeconds(120).toEpochMilli());
		assertThat(times.effectiveMillis(upsert("e3", null))).isEqualTo(now.toEpochMilli());
		assertThat(registry.counter(ConnectorMetrics.EVENTS_FUTURE_DATED).count()).isEqualTo(1);
	}

	@Test
	void theEventTimeIsReadInItsZone() {
		Instant now = Instant.parse("2026-11-29T10:00:00Z");
		EventTimes kyiv = new EventTimes(new SyncSettings(Duration.ofSeconds(25), 8, WriteMode.BATCH,
				java.time.ZoneId.of("Europe/Kyiv"), Duration.ofMinutes(5)), this.metrics,
				Clock.fixed(now, ZoneOffset.UTC));
		// 11:00 in Kyiv (UTC+2 in winter) is 09:00 UTC.
		assertThat(kyiv.effectiveMillis(upsert("e1", LocalDateTime.of(2026, 11, 29, 11, 0))))
			.isEqualTo(Instant.parse("2026-11-29T09:00:00Z").toEpochMilli());
	}

	private static SyncSettings settings(Duration skew) {
		return new SyncSettings(Duration.ofSeconds(25), 8, WriteMode.BATCH, ZoneOffset.UTC, skew);
	}

	private ContactWrite write(PendingWrite event) {
		return this.ordering.plan(List.of(List.of(event))).get(0);
	}

	private ContactWrite plan(PendingWrite event) {
		List<ContactWrite> writes = this.ordering.plan(List.of(List.of(event)));
		assertThat(writes).hasSize(1);
		return writes.get(0);
	}

	private void confirm(ContactWrite write) {
		this.ordering.confirmed(write);
		assertThat(write.events())
			.allSatisfy((event) -> assertThat(event.outcome()).isCompletedWithValue(new SyncOutcome.Synced()));
	}

	private PendingWrite event(String id, LocalDateTime time, String... properties) {
		ContactUpsert upsert = upsert(id, time, properties);
		return new PendingWrite(upsert, millis(time), this.arrivals.incrementAndGet(),
				Deadline.after(Duration.ofSeconds(30)));
	}

	private static ContactUpsert upsert(String id, @Nullable LocalDateTime time, String... properties) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("email", "a@x.com");
		for (int i = 0; i + 1 < properties.length; i += 2) {
			values.put(properties[i], properties[i + 1]);
		}
		return new ContactUpsert(id, "SIM/Updated", "a@x.com", values, time);
	}

	private static long millis(LocalDateTime time) {
		return time.toInstant(ZoneOffset.UTC).toEpochMilli();
	}

}
