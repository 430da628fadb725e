package com.portaone.nsps.hubspot.hubspot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HubSpotRequestBudgetTest {

	private static final ConnectorMetrics METRICS = new ConnectorMetrics(new SimpleMeterRegistry());

	private static HubSpotSettings settings(double requestsPerSecond, Duration maxPermitWait) {
		return new HubSpotSettings("test-access-token", "http://localhost/crm/v3/objects/contacts",
				Duration.ofSeconds(2), requestsPerSecond, maxPermitWait, Duration.ofMinutes(15), 3,
				Duration.ofMillis(20));
	}

	@Test
	void spacingKeepsBelowOneHundredRequestsInAnyTenSeconds() {
		// HubSpot counts 100 per rolling 10 s; 10 req/s less the margin must stay below.
		Duration spacing = settings(10.0, Duration.ofSeconds(2)).permitSpacing();
		assertThat(spacing).isBetween(Duration.ofMillis(104), Duration.ofMillis(106));
		long permitsInTenSeconds = Duration.ofSeconds(10).toNanos() / spacing.toNanos() + 1;
		assertThat(permitsInTenSeconds).isLessThanOrEqualTo(96);
	}

	@Test
	void permitsFromManyThreadsAreSpreadEvenly() throws Exception {
		HubSpotRequestBudget budget = new HubSpotRequestBudget(settings(10.0, Duration.ofSeconds(5)), METRICS,
				Clock.systemUTC());
		ExecutorService threads = Executors.newFixedThreadPool(6);
		List<Long> grantedAt = Collections.synchronizedList(new ArrayList<>());
		List<Future<?>> calls = new ArrayList<>();
		try {
			for (int i = 0; i < 30; i++) {
				calls.add(threads.submit(() -> {
					budget.acquire(Duration.ofSeconds(10));
					grantedAt.add(System.nanoTime());
				}));
			}
			for (Future<?> call : calls) {
				call.get(20, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		List<Long> sorted = new ArrayList<>(grantedAt);
		Collections.sort(sorted);
		assertThat(sorted).hasSize(30);
		long first = sorted.get(0);
		long inFirstSecond = sorted.stream().filter((t) -> t - first < TimeUnit.SECONDS.toNanos(1)).count();
		// Evenly spread: about 10 per second, never a burst.
		assertThat(inFirstSecond).isLessThanOrEqualTo(11);
		long averageGapMillis = TimeUnit.NANOSECONDS.toMillis((sorted.get(29) - first) / 29);
		assertThat(averageGapMillis).isGreaterThanOrEqualTo(100);
	}

	@Test
	void noPermitWithinTheBoundedWaitFailsInsteadOfHanging() {
		HubSpotRequestBudget budget = new HubSpotRequestBudget(settings(1.0, Duration.ofMillis(100)), METRICS,
				Clock.systemUTC());
		budget.acquire(Duration.ofSeconds(10));
		assertThatExceptionOfType(RequestBudgetExhaustedException.class)
			.isThrownBy(() -> budget.acquire(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isPositive());
	}

	@Test
	void dailyLimitStopsPermitsForTheCooldown() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
		HubSpotRequestBudget budget = new HubSpotRequestBudget(settings(10.0, Duration.ofSeconds(2)), METRICS, clock);
		budget.dailyLimitReached();
		assertThatExceptionOfType(RequestBudgetExhaustedException.class)
			.isThrownBy(() -> budget.acquire(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofMinutes(15)));
		clock.now = clock.now.plus(Duration.ofMinutes(14));
		assertThatExceptionOfType(RequestBudgetExhaustedException.class)
			.isThrownBy(() -> budget.acquire(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofMinutes(1)));
		clock.now = clock.now.plus(Duration.ofMinutes(1));
		assertThat(budget.dailyLimitCooldownRemaining()).isZero();
		assertThatCode(() -> budget.acquire(Duration.ofSeconds(10))).doesNotThrowAnyException();
	}

	@Test
	void theRollingWindowHoldsNoMoreThanItsLimitWhateverTheSpacing() throws Exception {
		// Spacing allows ~290 sends in 300 ms; the window guard must hold them to 50, as
		// it
		// does when late wake-ups bunch sends that spacing alone would keep apart.
		HubSpotRequestBudget budget = new HubSpotRequestBudget(settings(1000.0, Duration.ofSeconds(5)), METRICS,
				Clock.systemUTC(), Duration.ofMillis(300), 50);
		List<Long> sends = Collections.synchronizedList(new ArrayList<>());
		ExecutorService threads = Executors.newFixedThreadPool(8);
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < 120; i++) {
			done.add(threads.submit(() -> {
				budget.acquire(Duration.ofSeconds(5));
				budget.beforeSend();
				sends.add(System.nanoTime());
			}));
		}
		for (Future<?> each : done) {
			each.get(10, TimeUnit.SECONDS);
		}
		threads.shutdown();
		List<Long> sorted = new ArrayList<>(sends);
		Collections.sort(sorted);
		for (int i = 50; i < sorted.size(); i++) {
			// A little slack: the test notes each time just after the budget did.
			assertThat(sorted.get(i) - sorted.get(i - 50)).as("send %d and the one 50 before it", i)
				.isGreaterThanOrEqualTo(Duration.ofMillis(290).toNanos());
		}
	}

	private static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
