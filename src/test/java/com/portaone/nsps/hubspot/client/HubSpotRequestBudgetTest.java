package com.portaone.nsps.hubspot.client;

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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class HubSpotRequestBudgetTest {

	private static final ConnectorMetrics METRICS = new ConnectorMetrics(new SimpleMeterRegistry());

	private static HubSpotSettings settings(@Nullable Double requestsPerSecond, Duration maxPermitWait) {
		return HubSpotClients.settings("http://localhost/crm/v3/objects/contacts", "test-access-token",
				Duration.ofSeconds(2), requestsPerSecond, maxPermitWait, 3, Duration.ofSeconds(1));
	}

	private static HubSpotRequestBudget budget(@Nullable Double requestsPerSecond, Duration maxPermitWait,
			Clock clock) {
		HubSpotSettings settings = settings(requestsPerSecond, maxPermitWait);
		return new HubSpotRequestBudget(settings, METRICS, new HubSpotPortalStatus(), clock,
				PermitSchedule.inProcess(settings, new SimpleMeterRegistry()), BudgetPauses.inProcess(),
				SharedSendWindow.NONE);
	}

	@Test
	void spacingKeepsBelowOneHundredRequestsInAnyTenSeconds() {
		// HubSpot counts 100 per rolling 10 s; 10 req/s less the margin must stay below.
		HubSpotRequestBudget budget = budget(10.0, Duration.ofSeconds(2), Clock.systemUTC());
		assertThat(budget.spacing()).isBetween(Duration.ofMillis(104), Duration.ofMillis(106));
		assertThat(budget.windowLimit()).isEqualTo(96);
	}

	@Test
	void withoutAConfiguredRateTheLowestTiersLimitHoldsUntilHubSpotTellsThePortals() {
		HubSpotRequestBudget budget = budget(null, Duration.ofSeconds(2), Clock.systemUTC());
		assertThat(budget.windowLimit()).isEqualTo(96);
		budget.answered(0, new RateLimitHeaders(190, 150, 10_000L, null, null));
		// 190 per 10 s less the margin: 55 ms apart, at most 182 in a window.
		assertThat(budget.spacing()).isBetween(Duration.ofMillis(54), Duration.ofMillis(56));
		assertThat(budget.windowLimit()).isEqualTo(182);
		budget.answered(1, new RateLimitHeaders(250, 200, 10_000L, null, null));
		assertThat(budget.windowLimit()).isLessThan(250).isGreaterThan(230);
	}

	@Test
	void aConfiguredRateWinsOverThePortals() {
		HubSpotRequestBudget budget = budget(10.0, Duration.ofSeconds(2), Clock.systemUTC());
		budget.answered(0, new RateLimitHeaders(190, 150, 10_000L, null, null));
		assertThat(budget.windowLimit()).isEqualTo(96);
		assertThat(budget.spacing()).isBetween(Duration.ofMillis(104), Duration.ofMillis(106));
	}

	@Test
	void aLowDailyCountStretchesThePacing() {
		HubSpotRequestBudget budget = budget(10.0, Duration.ofSeconds(2), Clock.systemUTC());
		Duration normal = budget.spacing();
		budget.answered(0, new RateLimitHeaders(100, 90, 10_000L, 250_000L, 200_000L));
		assertThat(budget.spacing()).isEqualTo(normal);
		budget.answered(1, new RateLimitHeaders(100, 90, 10_000L, 250_000L, 20_000L));
		assertThat(budget.spacing()).isEqualTo(normal.multipliedBy(2));
		budget.answered(2, new RateLimitHeaders(100, 90, 10_000L, 250_000L, 1_000L));
		assertThat(budget.spacing()).isEqualTo(normal.multipliedBy(4));
		budget.answered(3, new RateLimitHeaders(100, 90, 10_000L, 500_000L, 400_000L));
		assertThat(budget.spacing()).isEqualTo(normal);
	}

	@Test
	void permitsFromManyThreadsAreSpreadEvenly() throws Exception {
		HubSpotRequestBudget budget = budget(10.0, Duration.ofSeconds(5), Clock.systemUTC());
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
		HubSpotRequestBudget budget = budget(1.0, Duration.ofMillis(100), Clock.systemUTC());
		budget.acquire(Duration.ofSeconds(10));
		assertThatExceptionOfType(RequestBudgetExhaustedException.class)
			.isThrownBy(() -> budget.acquire(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isPositive());
	}

	@Test
	void aSendHubSpotsWindowHasNoRoomForInTimeIsRefusedWithTheWaitUntilRoom() {
		HubSpotRequestBudget budget = budget(10.0, Duration.ofMillis(300), Clock.systemUTC());
		Permit first = budget.acquire(Duration.ofSeconds(10));
		// HubSpot answers the first send with nothing left: the rest are other apps'.
		// Room is sure once it has left HubSpot's window, ten seconds on: that, not the
		// next look, is what NSPS is told.
		first.send((onHeaders) -> {
			onHeaders.accept(new RateLimitHeaders(100, 0, 10_000L, null, null));
			return "answered";
		});
		Permit second = budget.acquire(Duration.ofSeconds(10));
		assertThatExceptionOfType(RequestBudgetExhaustedException.class)
			.isThrownBy(() -> second.send((onHeaders) -> "sent"))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isGreaterThan(Duration.ofSeconds(5)));
	}

	@Test
	void aPermitSendsOnce() {
		HubSpotRequestBudget budget = budget(100.0, Duration.ofSeconds(2), Clock.systemUTC());
		Permit permit = budget.acquire(Duration.ofSeconds(1));
		assertThat(permit.<String>send((headers) -> "sent")).isEqualTo("sent");
		assertThatIllegalStateException().isThrownBy(() -> permit.send((headers) -> "again"));
	}

	@Test
	void dailyLimitStopsPermitsForTheCooldown() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
		HubSpotRequestBudget budget = budget(10.0, Duration.ofSeconds(2), clock);
		refuse(budget, 429, "DAILY", null);
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
	void aTenSecondly429HoldsEveryPermitForHubSpotsWindow() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
		HubSpotRequestBudget budget = budget(10.0, Duration.ofSeconds(5), clock);
		// Without Retry-After: at least the interval.
		refuse(budget, 429, "TEN_SECONDLY_ROLLING", null);
		assertThatExceptionOfType(RequestBudgetExhaustedException.class)
			.isThrownBy(() -> budget.acquire(Duration.ofSeconds(5)))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(10)));
		clock.now = clock.now.plus(Duration.ofSeconds(10));
		assertThatCode(() -> budget.acquire(Duration.ofSeconds(5))).doesNotThrowAnyException();
		// With Retry-After: what HubSpot asks for.
		refuse(budget, 429, "TEN_SECONDLY_ROLLING", Duration.ofSeconds(30));
		assertThatExceptionOfType(RequestBudgetExhaustedException.class)
			.isThrownBy(() -> budget.acquire(Duration.ofSeconds(5)))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
	}

	private static void refuse(HubSpotRequestBudget budget, int status, String policy, @Nullable Duration retryAfter) {
		budget.refused(HubSpotException.answered(status,
				new HubSpotError("limit", "RATE_LIMITS", policy, null, List.of(), List.of(), List.of()), retryAfter));
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
