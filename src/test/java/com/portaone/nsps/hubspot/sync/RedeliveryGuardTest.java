package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedeliveryGuardTest {

	private static final LocalDateTime NOON = LocalDateTime.of(2025, 5, 1, 12, 0);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RedeliveryGuard guard = new RedeliveryGuard(new RedeliverySettings(1000, Duration.ofDays(7)),
			new ConnectorMetrics(this.registry));

	@Test
	void anEventIdIsARedeliveryOnlyOnceItWasWritten() {
		ContactUpsert event = upsert("evt-1", "olena@example.com", NOON);
		assertThat(this.guard.isRedelivery(event)).isFalse();
		this.guard.written(event);
		assertThat(this.guard.isRedelivery(event)).isTrue();
		assertThat(this.guard.isRedelivery(upsert("evt-2", "olena@example.com", NOON))).isFalse();
		assertThat(this.registry.counter(ConnectorMetrics.EVENTS_REDELIVERED).count()).isEqualTo(1);
	}

	@Test
	void anEventOlderThanTheAppliedOneIsStaleForTheSameContactOnly() {
		this.guard.written(upsert("evt-1", "Olena@Example.com", NOON));
		assertThat(this.guard.isStale(upsert("evt-0", "olena@example.com", NOON.minusSeconds(1)))).isTrue();
		assertThat(this.guard.isStale(upsert("evt-2", "olena@example.com", NOON))).as("an equal time is not older")
			.isFalse();
		assertThat(this.guard.isStale(upsert("evt-3", "olena@example.com", NOON.plusMinutes(1)))).isFalse();
		assertThat(this.guard.isStale(upsert("evt-4", "other@example.com", NOON.minusDays(1)))).isFalse();
		assertThat(this.registry.counter(ConnectorMetrics.EVENTS_STALE).count()).isEqualTo(1);
	}

	@Test
	void anEventWithoutEventTimeIsNeverStale() {
		this.guard.written(upsert("evt-1", "olena@example.com", NOON));
		assertThat(this.guard.isStale(upsert("evt-2", "olena@example.com", null))).isFalse();
	}

	@Test
	void theLatestAppliedTimeWinsWhateverTheOrderOfWrites() {
		this.guard.written(upsert("evt-2", "olena@example.com", NOON.plusHours(1)));
		this.guard.written(upsert("evt-1", "olena@example.com", NOON));
		assertThat(this.guard.isStale(upsert("evt-3", "olena@example.com", NOON.plusMinutes(30)))).isTrue();
	}

	private static ContactUpsert upsert(String eventId, String email, @Nullable LocalDateTime eventTime) {
		return new ContactUpsert(eventId, "SIM/Updated", email, Map.of("email", email), eventTime);
	}

}
