package com.portaone.nsps.hubspot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
import com.portaone.nsps.hubspot.sync.ContactChange;
import com.portaone.nsps.hubspot.sync.ContactState;
import com.portaone.nsps.hubspot.sync.ContactStore;
import com.portaone.nsps.hubspot.sync.SharedStateUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
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

	private static final int FIRSTNAME = ContactState.PROPERTIES.indexOf("firstname");

	private static final int EMAIL = ContactState.PROPERTIES.indexOf("email");

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
	void aSubscribersStateIsSharedAppliedAtomicallyAndOnlyGrows() {
		ContactStore first = new RedisContactStore(replica(), Duration.ofDays(1));
		ContactStore second = new RedisContactStore(replica(), Duration.ofDays(1));
		first.record(List.of(change("a:7", "101", "new@x.com", 2000, 7L, "e2")));
		// An older write that lands late lowers nothing, and does not bring its email
		// back.
		second.record(List.of(change("a:7", null, "old@x.com", 1500, 7L, "e1")));
		ContactStore.Snapshot snapshot = second.snapshot(List.of("a:7", "a:8"),
				List.of("new@x.com", "old@x.com", "nobody@x.com"));
		ContactState state = snapshot.states().get("a:7");
		assertThat(state.recordId()).isEqualTo("101");
		assertThat(state.email()).isEqualTo("new@x.com");
		assertThat(state.time(FIRSTNAME)).isEqualTo(2000);
		assertThat(state.hash(FIRSTNAME)).isEqualTo(2000 * 31);
		assertThat(state.confirmedAt(FIRSTNAME)).isEqualTo(99);
		assertThat(snapshot.states()).doesNotContainKey("a:8");
		// Every email an account was written with leads to it.
		assertThat(snapshot.accounts()).containsExactlyInAnyOrderEntriesOf(Map.of("new@x.com", 7L, "old@x.com", 7L));
		assertThat(first.arrival("e1", "NEW@x.com")).isEqualTo(new ContactStore.Arrival(true, 7L));
		assertThat(first.arrival("e3", null)).isEqualTo(new ContactStore.Arrival(false, null));
	}

	@Test
	void theSameChangeGivesTheSameStateInRedisAsInTheProcess() {
		ContactStore redis = new RedisContactStore(replica(), Duration.ofDays(1));
		List<ContactChange> changes = List.of(change("a:1", "5", "a@x.com", 3000, 1L, "e1"),
				change("a:1", "6", "b@x.com", 2000, 1L, "e2"), advance("a:1", 4000),
				change("a:1", null, "c@x.com", 3000, 1L, "e3"), change("a:1", null, "d@x.com", 5000, 1L, "e4"),
				neverConfirmed("a:1", 4500));
		ContactState inProcess = ContactState.NONE;
		for (ContactChange change : changes) {
			redis.record(List.of(change));
			inProcess = inProcess.apply(change);
		}
		assertThat(redis.snapshot(List.of("a:1"), List.of()).states().get("a:1")).isEqualTo(inProcess);
		// A value sent but never confirmed takes the confirmation away, and only that.
		assertThat(inProcess.confirmedAt(FIRSTNAME)).isZero();
		assertThat(inProcess.time(FIRSTNAME)).isEqualTo(5000);
		assertThat(inProcess.hash(FIRSTNAME)).isEqualTo(5000 * 31);
		assertThat(inProcess.confirmedAt(EMAIL)).isEqualTo(99);
	}

	@Test
	void storedEntriesExpire() throws Exception {
		ContactStore store = new RedisContactStore(replica(), Duration.ofMillis(300));
		store.record(List.of(change("a:1", "9", "a@x.com", 2000, 1L, "e1")));
		assertThat(store.arrival("e1", "a@x.com")).isEqualTo(new ContactStore.Arrival(true, 1L));
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> store.arrival("e1", "a@x.com").equals(new ContactStore.Arrival(false, null)));
		assertThat(store.snapshot(List.of("a:1"), List.of()).states()).isEmpty();
	}

	@Test
	void aContactIsWrittenByOneReplicaAtATimeAllItsClaimsOrNone() {
		RedisContactLocks first = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		RedisContactLocks second = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		assertThat(first.tryLock(List.of(List.of("a:1", "@a@x.com"), List.of("a:2", "@b@x.com")), 1))
			.containsExactly(Duration.ZERO, Duration.ZERO);
		// a:3 shares an email with a:2's write, so it waits too.
		assertThat(second.tryLock(List.of(List.of("a:3", "@b@x.com"), List.of("a:4", "@c@x.com")), 1))
			.satisfies((busy) -> {
				assertThat(busy.get(0)).isPositive();
				assertThat(busy.get(1)).isZero();
			});
		first.unlock(List.of(List.of("a:1", "@a@x.com"), List.of("a:2", "@b@x.com")), 1,
				List.of(Duration.ZERO, Duration.ZERO));
		// a:3's own key was let go when its email was found taken.
		assertThat(second.tryLock(List.of(List.of("a:3", "@b@x.com")), 2)).containsExactly(Duration.ZERO);
	}

	@Test
	void aLockThisReplicasEndedWriteLeftBehindHoldsOffTheOtherReplicasOnly() {
		RedisContactLocks first = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		RedisContactLocks second = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		List<List<String>> claims = List.of(List.of("a:1", "@a@x.com"));
		// Write 1 locked, then lost its unlock to a Redis outage (or its lock came in
		// late,
		// after Redisson had given up on it): the lock outlives the write.
		assertThat(first.tryLock(claims, 1)).containsExactly(Duration.ZERO);
		assertThat(first.tryLock(claims, 2)).containsExactly(Duration.ZERO);
		assertThat(second.tryLock(claims, 1).get(0)).isPositive();
		// Write 1's unlock, arriving after write 2 locked, leaves write 2's lock alone.
		first.unlock(claims, 1, List.of(Duration.ZERO));
		assertThat(second.tryLock(claims, 1).get(0)).isPositive();
		first.unlock(claims, 2, List.of(Duration.ZERO));
		assertThat(second.tryLock(claims, 1)).containsExactly(Duration.ZERO);
	}

	@Test
	void aContactInDoubtStaysOutOfEveryReplicasReachUntilTheDoubtPasses() {
		RedisContactLocks first = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		RedisContactLocks second = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		List<List<String>> claims = List.of(List.of("a:1", "@a@x.com"));
		first.tryLock(claims, 1);
		first.unlock(claims, 1, List.of(Duration.ofMillis(800)));
		assertThat(second.tryLock(claims, 2).get(0)).isGreaterThan(Duration.ofMillis(200));
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> second.tryLock(claims, 3).get(0).isZero());
	}

	@Test
	void aLockOfADeadReplicaExpires() {
		RedisContactLocks dead = new RedisContactLocks(replica(), Duration.ofMillis(500));
		RedisContactLocks alive = new RedisContactLocks(replica(), Duration.ofSeconds(30));
		assertThat(dead.tryLock(List.of(List.of("a:1")), 1)).containsExactly(Duration.ZERO);
		assertThat(alive.tryLock(List.of(List.of("a:1")), 1).get(0)).isPositive();
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> alive.tryLock(List.of(List.of("a:1")), 1).get(0).isZero());
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
			ContactStore store = new RedisContactStore(state, Duration.ofDays(1));
			store.record(List.of(change("a:1", "1", "a@x.com", 1, 1L, "e1")));
			HubSpotRequestBudget budget = budget(state);
			budget.acquire(Duration.ofSeconds(1));
			own.stop();
			long start = System.nanoTime();
			assertThatExceptionOfType(SharedStateUnavailableException.class)
				.isThrownBy(() -> store.arrival("e1", null));
			assertThatExceptionOfType(SharedStateUnavailableException.class)
				.isThrownBy(() -> new RedisContactLocks(state, Duration.ofSeconds(1))
					.tryLock(List.of(List.copyOf(Set.of("a:1"))), 1));
			assertThatExceptionOfType(SharedStateUnavailableException.class)
				.isThrownBy(() -> budget.acquire(Duration.ofSeconds(1)));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
			own.restart();
			// Redisson reconnects by itself; the restarted Redis is empty.
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> !store.arrival("e1", null).confirmed());
			// The budget's bucket is made anew.
			budget.acquire(Duration.ofSeconds(1));
		}
	}

	/** A confirmed write of the firstname and the email, at {@code time}. */
	static ContactChange change(String key, String recordId, String email, long time, Long account, String eventId) {
		long[] slots = new long[ContactState.PROPERTIES.size() * ContactState.SLOT];
		slots[FIRSTNAME * ContactState.SLOT] = time;
		slots[FIRSTNAME * ContactState.SLOT + 1] = time * 31;
		slots[FIRSTNAME * ContactState.SLOT + 2] = 99;
		slots[EMAIL * ContactState.SLOT] = time;
		slots[EMAIL * ContactState.SLOT + 1] = email.hashCode() | 1;
		slots[EMAIL * ContactState.SLOT + 2] = 99;
		return new ContactChange(key, recordId, email, slots, List.of(eventId), account, null);
	}

	/** A firstname sent in a write HubSpot never confirmed. */
	private static ContactChange neverConfirmed(String key, long time) {
		long[] slots = new long[ContactState.PROPERTIES.size() * ContactState.SLOT];
		slots[FIRSTNAME * ContactState.SLOT] = time;
		slots[FIRSTNAME * ContactState.SLOT + 1] = time * 31;
		slots[FIRSTNAME * ContactState.SLOT + 2] = ContactChange.NEVER_CONFIRMED;
		return new ContactChange(key, null, null, slots, List.of(), null, null);
	}

	/** The firstname's time advanced without a write. */
	private static ContactChange advance(String key, long time) {
		long[] slots = new long[ContactState.PROPERTIES.size() * ContactState.SLOT];
		slots[FIRSTNAME * ContactState.SLOT] = time;
		return new ContactChange(key, null, null, slots, List.of(), null, null);
	}

	private HubSpotRequestBudget budget(SharedState state) {
		HubSpotClients clients = new HubSpotClients(
				HubSpotClients.settings("http://127.0.0.1:9/crm/v3/objects/contacts", "token", Duration.ofSeconds(1),
						20.0, Duration.ofSeconds(10), 0, Duration.ofSeconds(1)),
				new ConnectorMetrics(new SimpleMeterRegistry()));
		return clients.budget(new RedisPermitSchedule(state), new RedisBudgetPauses(state), new RedisSendWindow(state));
	}

}
