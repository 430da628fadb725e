package com.portaone.nsps.hubspot.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window checks right before a send, in simulated time: a HubSpot that counts
 * arrivals in a rolling 10 s, requests that reach it up to a second late, answers that
 * come back after a random latency with the remaining count.
 */
class SendWindowTest {

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

	private static final long INTERVAL = 10 * SECOND;

	private static final int HUBSPOT_LIMIT = 100;

	/** 10 requests/s less the budget's margin. */
	private static final long SPACING = 104_712_041;

	private static final int WINDOW_LIMIT = 96;

	@Test
	void noMoreThanTheLimitOfOwnSendsInAnyInterval() {
		SendWindow window = new SendWindow(3, SECOND);
		long now = 0;
		List<Long> sent = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			long wait = window.waitNanos(now);
			now += wait;
			assertThat(window.waitNanos(now)).isZero();
			window.record(now);
			sent.add(now);
			now += MILLI;
		}
		for (int i = 3; i < sent.size(); i++) {
			assertThat(sent.get(i) - sent.get(i - 3)).isGreaterThanOrEqualTo(SECOND);
		}
	}

	@Test
	void hubSpotsRemainingCountHoldsSendsBackUntilOwnSendsLeaveItsWindow() {
		SendWindow window = new SendWindow(1000, INTERVAL);
		long first = window.record(0);
		window.record(SECOND);
		// HubSpot counted the first send with 2 left: one more send would leave 1,
		// the reserve.
		window.answered(first, 200 * MILLI);
		window.observed(first, 2, 0);
		// Held back until the first send surely left HubSpot's window, an interval after
		// its answer, looking again meanwhile for a newer answer.
		long wait = window.waitNanos(2 * SECOND);
		assertThat(wait).isEqualTo(INTERVAL + 200 * MILLI - 2 * SECOND);
		assertThat(SendWindow.lookAgainAfter(wait)).isEqualTo(SendWindow.RECHECK_NANOS);
		assertThat(window.waitNanos(INTERVAL + 200 * MILLI)).isZero();
	}

	@Test
	void aSendWithoutAnAnswerTimeLeavesHubSpotsWindowTheGuardLater() {
		SendWindow window = new SendWindow(1000, INTERVAL);
		long first = window.record(0);
		window.record(SECOND);
		window.observed(first, 2, 0);
		assertThat(window.waitNanos(INTERVAL + SendWindow.ARRIVAL_GUARD_NANOS - 1)).isPositive();
		assertThat(window.waitNanos(INTERVAL + SendWindow.ARRIVAL_GUARD_NANOS)).isZero();
	}

	@Test
	void anOldAnswerIsForgottenOnceHubSpotsWindowRolledPastIt() {
		SendWindow window = new SendWindow(1000, INTERVAL);
		long only = window.record(0);
		window.observed(only, 0, 0);
		assertThat(window.waitNanos(SECOND)).isPositive();
		assertThat(window.waitNanos(INTERVAL + SendWindow.ARRIVAL_GUARD_NANOS)).isZero();
	}

	@Test
	void answersToOlderSendsDoNotReplaceNewerOnes() {
		SendWindow window = new SendWindow(1000, INTERVAL);
		long first = window.record(0);
		long second = window.record(MILLI);
		window.observed(second, 0, 0);
		window.observed(first, 50, 0);
		assertThat(window.waitNanos(2 * MILLI)).isPositive();
	}

	@Test
	void otherAppsInHubSpotsWindowAreGivenRoomAtTheirPace() {
		SendWindow window = new SendWindow(1000, INTERVAL);
		long own = window.record(0);
		// HubSpot counted 61 requests, one of them ours: other apps sent 60 in its
		// window,
		// six per second.
		window.observed(own, 39, 100);
		assertThat(window.waitNanos(MILLI)).isZero();
		// Six seconds on (and a send arriving up to the guard later) they may have sent
		// 42 more: more than the 39 left.
		assertThat(window.waitNanos(4 * SECOND)).isZero();
		assertThat(window.waitNanos(6 * SECOND)).isPositive();
	}

	@Test
	void otherReplicasOfASharedBudgetAreNotTakenForOtherApps() {
		SendWindow window = new SendWindow(1000, INTERVAL, true);
		long own = window.record(0);
		// The other 60 are the other replicas', spaced by the shared schedule.
		window.observed(own, 39, 100);
		assertThat(window.waitNanos(6 * SECOND)).isZero();
		// HubSpot's own count still holds sends back as it runs out.
		long next = window.record(6 * SECOND);
		window.observed(next, 1, 100);
		assertThat(window.waitNanos(6 * SECOND + MILLI)).isPositive();
	}

	static List<Long> seeds() {
		List<Long> seeds = new ArrayList<>();
		for (long seed = 1; seed <= 40; seed++) {
			seeds.add(seed);
		}
		return seeds;
	}

	/**
	 * Whatever the arrival delays (up to the guard) and answer latencies, HubSpot never
	 * counts more than its limit, and the sends still use most of the budget.
	 */
	@ParameterizedTest
	@MethodSource("seeds")
	void hubSpotNeverCountsMoreThanItsLimitWhenRequestsArriveLate(long seed) {
		Simulation simulation = new Simulation(new Random(seed), 0);
		simulation.run(120 * SECOND);
		assertThat(simulation.hubSpot.mostInAnyInterval).as("seed %d: HubSpot's busiest window", seed)
			.isLessThanOrEqualTo(HUBSPOT_LIMIT);
		assertThat(simulation.sends).as("seed %d: sends in 120 s at 9.55/s", seed).isGreaterThan(1000);
	}

	/**
	 * Alone in HubSpot's window, with requests reaching it up to 100 ms after their send
	 * times, no send is held back for long: the jitter puts a request more into some of
	 * HubSpot's windows than the send times do, which is not another app, and a held-back
	 * send goes once a newer answer shows room.
	 */
	@ParameterizedTest
	@MethodSource("seeds")
	void aloneTheSendsKeepTheBudgetsPaceThoughArrivalsJitter(long seed) {
		Simulation alone = new Simulation(new Random(seed), 0, false, 100 * MILLI);
		alone.run(120 * SECOND);
		assertThat(alone.hubSpot.mostInAnyInterval).as("seed %d: HubSpot's busiest window", seed)
			.isLessThanOrEqualTo(HUBSPOT_LIMIT);
		assertThat(alone.heldBack).as("seed %d: longest wait past a permit", seed).isLessThan(2 * SPACING);
		assertThat(alone.sends).as("seed %d: sends in 120 s at 9.55/s", seed).isGreaterThan(1130);
	}

	/**
	 * Another app of the account using part of HubSpot's window slows the sends down, as
	 * HubSpot's remaining count shows it: this app's requests find room in HubSpot's
	 * window (the other app's may not: it sends regardless).
	 */
	@ParameterizedTest
	@MethodSource("seeds")
	void anotherAppsRequestsLeaveLessForThisOne(long seed) {
		Simulation alone = new Simulation(new Random(seed), 0);
		alone.run(120 * SECOND);
		Simulation shared = new Simulation(new Random(seed), 40);
		shared.run(120 * SECOND);
		assertThat(shared.sends).as("seed %d", seed).isLessThan(alone.sends * 75 / 100);
		assertThat(shared.mostCountedAtOwnArrival).as("seed %d: HubSpot's count at this app's arrivals", seed)
			.isLessThanOrEqualTo(HUBSPOT_LIMIT);
	}

	/** HubSpot, counting arrivals in its rolling window. */
	private static final class HubSpot {

		private final ArrayDeque<Long> arrivals = new ArrayDeque<>();

		private final List<Long> all = new ArrayList<>();

		int mostInAnyInterval;

		/** Counts an arrival; the count it answers with includes it. */
		int arrive(long at) {
			this.all.add(at);
			this.arrivals.add(at);
			while (at - this.arrivals.peekFirst() >= INTERVAL) {
				this.arrivals.pollFirst();
			}
			return this.arrivals.size();
		}

		void checkAll() {
			List<Long> sorted = new ArrayList<>(this.all);
			sorted.sort(Long::compare);
			int first = 0;
			for (int last = 0; last < sorted.size(); last++) {
				while (sorted.get(last) - sorted.get(first) >= INTERVAL) {
					first++;
				}
				this.mostInAnyInterval = Math.max(this.mostInAnyInterval, last - first + 1);
			}
		}

	}

	/** One sender that always has work, sending through the window as the budget does. */
	private static final class Simulation {

		private final Random random;

		private final int otherAppPer10s;

		private final SendWindow window = new SendWindow(WINDOW_LIMIT, INTERVAL);

		private final HubSpot hubSpot = new HubSpot();

		/** Pending arrivals and answers, by time: {time, kind, sequence, remaining}. */
		private final PriorityQueue<long[]> events = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));

		private final boolean lateBursts;

		/** How late a request may reach HubSpot outside the late bursts. */
		private final long jitter;

		int sends;

		/** The longest a send waited past its permit. */
		long heldBack;

		/** The most HubSpot counted when one of this app's requests arrived. */
		int mostCountedAtOwnArrival;

		Simulation(Random random, int otherAppPer10s) {
			this(random, otherAppPer10s, random.nextBoolean(), 5 * MILLI);
		}

		Simulation(Random random, int otherAppPer10s, boolean lateBursts, long jitter) {
			this.random = random;
			this.otherAppPer10s = otherAppPer10s;
			this.lateBursts = lateBursts;
			this.jitter = jitter;
		}

		void run(long duration) {
			if (this.otherAppPer10s > 0) {
				long gap = INTERVAL / this.otherAppPer10s;
				for (long at = this.random.nextInt(1000) * MILLI; at < duration; at += gap) {
					this.events.add(new long[] { at, 2, -1, 0 });
				}
			}
			long now = 0;
			long nextPermit = 0;
			while (now < duration) {
				now = Math.max(now, nextPermit);
				deliver(now);
				long wait = this.window.waitNanos(now);
				if (wait > 0) {
					// As the sending thread does: it parks, then looks again.
					now += SendWindow.lookAgainAfter(wait);
					continue;
				}
				long sequence = this.window.record(now);
				this.heldBack = Math.max(this.heldBack, now - nextPermit);
				this.sends++;
				nextPermit = now + SPACING;
				this.events.add(new long[] { now + arrivalDelay(now), 0, sequence, 0 });
			}
			this.hubSpot.checkAll();
		}

		/** Up to the guard late: now and then, for a while, most requests are. */
		private long arrivalDelay(long now) {
			boolean inBurst = this.lateBursts && (now / (3 * SECOND)) % 4 == 1;
			long most = inBurst ? SendWindow.ARRIVAL_GUARD_NANOS - 1 : this.jitter;
			return (long) (this.random.nextDouble() * most);
		}

		private void deliver(long until) {
			while (!this.events.isEmpty() && this.events.peek()[0] <= until) {
				long[] event = this.events.poll();
				if (event[1] == 0 || event[1] == 2) {
					int count = this.hubSpot.arrive(event[0]);
					if (event[1] == 0) {
						this.mostCountedAtOwnArrival = Math.max(this.mostCountedAtOwnArrival, count);
						long latency = (20 + this.random.nextInt(300)) * MILLI;
						this.events.add(new long[] { event[0] + latency, 1, event[2], HUBSPOT_LIMIT - count });
					}
				}
				else {
					this.window.answered(event[2], event[0]);
					this.window.observed(event[2], (int) Math.max(0, event[3]), HUBSPOT_LIMIT);
				}
			}
		}

	}

}
