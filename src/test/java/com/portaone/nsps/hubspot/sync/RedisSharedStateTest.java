package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.TestRedis;
import com.portaone.nsps.hubspot.client.HubSpotClients;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.redis.SharedState;
import com.portaone.nsps.hubspot.redis.SharedStateUnavailableException;
import com.portaone.nsps.hubspot.redis.SharedStates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The state replicas share, against a real Redis ({@code REDIS_URL}, or a
 * {@code redis-server} the test starts): two replicas here are two clients with the same
 * key prefix.
 */
class RedisSharedStateTest {

	private final String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private final List<SharedState> opened = new ArrayList<>();

	@AfterEach
	void close() {
		this.opened.forEach(SharedStates::close);
	}

	private SharedState replica() {
		SharedState state = SharedStates.connect(TestRedis.sharedUrl(), this.prefix);
		this.opened.add(state);
		return state;
	}

	@Test
	void propertyTimesAreSharedAndOnlyGrow() {
		RedisOrderingStore first = new RedisOrderingStore(replica(), new RedeliverySettings(1000, Duration.ofDays(1)));
		RedisOrderingStore second = new RedisOrderingStore(replica(), new RedeliverySettings(1000, Duration.ofDays(1)));
		first.written("a@x.com", PropertyTimes.NONE.with("firstname", 2000).with("lastname", 1000), List.of("e2"));
		// An older write that lands late cannot lower the times.
		second.written("a@x.com", PropertyTimes.NONE.with("firstname", 1500).with("imsi", 1200), List.of("e1"));
		PropertyTimes times = second.propertyTimes(List.of("a@x.com", "nobody@x.com")).get("a@x.com");
		assertThat(times.of("firstname")).isEqualTo(2000);
		assertThat(times.of("lastname")).isEqualTo(1000);
		assertThat(times.of("imsi")).isEqualTo(1200);
		assertThat(second.propertyTimes(List.of("nobody@x.com"))).isEmpty();
		assertThat(first.isConfirmed("e1")).isTrue();
		assertThat(second.isConfirmed("e2")).isTrue();
		assertThat(second.isConfirmed("e3")).isFalse();
	}

	@Test
	void storedEntriesExpire() throws Exception {
		RedisOrderingStore store = new RedisOrderingStore(replica(),
				new RedeliverySettings(1000, Duration.ofMillis(300)));
		store.written("a@x.com", PropertyTimes.NONE.with("firstname", 2000), List.of("e1"));
		assertThat(store.isConfirmed("e1")).isTrue();
		Thread.sleep(600);
		assertThat(store.isConfirmed("e1")).isFalse();
		assertThat(store.propertyTimes(List.of("a@x.com"))).isEmpty();
	}

	@Test
	void aContactIsWrittenByOneReplicaAtATime() {
		RedisContactLocks first = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		RedisContactLocks second = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		assertThat(first.tryLock(List.of("a@x.com", "b@x.com"), 1)).containsExactlyInAnyOrder("a@x.com", "b@x.com");
		assertThat(second.tryLock(List.of("b@x.com", "c@x.com"), 1)).containsExactly("c@x.com");
		first.unlock(List.of("a@x.com", "b@x.com"), 1);
		assertThat(second.tryLock(List.of("b@x.com"), 2)).containsExactly("b@x.com");
	}

	@Test
	void aLockOfADeadReplicaExpires() throws Exception {
		RedisContactLocks dead = new RedisContactLocks(replica(), Duration.ofMillis(500));
		RedisContactLocks alive = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		assertThat(dead.tryLock(List.of("a@x.com"), 1)).containsExactly("a@x.com");
		assertThat(alive.tryLock(List.of("a@x.com"), 1)).isEmpty();
		Thread.sleep(800);
		assertThat(alive.tryLock(List.of("a@x.com"), 1)).containsExactly("a@x.com");
	}

	@Test
	void replicasShareOneEvenlySpacedBudget() throws Exception {
		// 20 requests/s less the margin across both: 52 ms apart, whoever asks.
		List<HubSpotRequestBudget> budgets = List.of(budget(replica()), budget(replica()));
		List<Long> grantedAt = Collections.synchronizedList(new ArrayList<>());
		ExecutorService threads = Executors.newFixedThreadPool(4);
		List<Future<?>> calls = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			HubSpotRequestBudget budget = budgets.get(i % 2);
			calls.add(threads.submit(() -> {
				budget.acquire(Duration.ofSeconds(10));
				grantedAt.add(System.nanoTime());
			}));
		}
		for (Future<?> call : calls) {
			call.get(30, TimeUnit.SECONDS);
		}
		threads.shutdownNow();
		List<Long> sorted = new ArrayList<>(grantedAt);
		Collections.sort(sorted);
		long spanMillis = TimeUnit.NANOSECONDS.toMillis(sorted.get(sorted.size() - 1) - sorted.get(0));
		// 40 permits at 52 ms: about 2 s for both together, not 1 s each side by side.
		assertThat(spanMillis).isGreaterThan(1800);
		long inFirstSecond = sorted.stream().filter((t) -> t - sorted.get(0) < TimeUnit.SECONDS.toNanos(1)).count();
		assertThat(inFirstSecond).isLessThanOrEqualTo(21);
	}

	@Test
	void aPauseOneReplicaLearnsPausesTheOthers() {
		HubSpotRequestBudget first = budget(replica());
		HubSpotRequestBudget second = budget(replica());
		HubSpotClients.pauseForHubSpotsWindow(first, Duration.ofSeconds(5));
		assertThat(second.rollingWindowPauseRemaining()).isGreaterThan(Duration.ofSeconds(4));
		HubSpotClients.reachDailyLimit(second);
		assertThat(first.dailyLimitCooldownRemaining()).isGreaterThan(Duration.ofMinutes(14));
	}

	@Test
	void anUnreachableRedisFailsFastAndLoudly() {
		try (TestRedis own = TestRedis.start()) {
			SharedState state = SharedStates.connect(own.url(), this.prefix);
			this.opened.add(state);
			RedisOrderingStore store = new RedisOrderingStore(state, new RedeliverySettings(1000, Duration.ofDays(1)));
			store.written("a@x.com", PropertyTimes.NONE.with("firstname", 1), List.of("e1"));
			HubSpotRequestBudget budget = budget(state);
			budget.acquire(Duration.ofSeconds(1));
			own.stop();
			long start = System.nanoTime();
			assertThatExceptionOfType(SharedStateUnavailableException.class).isThrownBy(() -> store.isConfirmed("e1"));
			assertThatExceptionOfType(SharedStateUnavailableException.class)
				.isThrownBy(() -> new RedisContactLocks(state, Duration.ofSeconds(1)).tryLock(Set.of("a@x.com"), 1));
			assertThatExceptionOfType(SharedStateUnavailableException.class)
				.isThrownBy(() -> budget.acquire(Duration.ofSeconds(1)));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
			own.restart();
			// Redisson reconnects by itself; the restarted Redis is empty.
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> !store.isConfirmed("e1"));
			// The budget's bucket is made anew.
			budget.acquire(Duration.ofSeconds(1));
		}
	}

	private HubSpotRequestBudget budget(SharedState state) {
		return new HubSpotClients(
				HubSpotWrites.settings("http://127.0.0.1:9", Duration.ofSeconds(1), 20.0, Duration.ofSeconds(10), 0),
				new ConnectorMetrics(new SimpleMeterRegistry()), state)
			.budget();
	}

}
