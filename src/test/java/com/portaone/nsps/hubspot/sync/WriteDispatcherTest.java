package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.portaone.nsps.hubspot.client.HubSpotClients;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.Permit;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.StaticApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher's promises, with a scripted round in place of HubSpot: writes that share
 * a subscriber or an email never run at once; a contact in doubt waits until HubSpot can
 * no longer apply the doubtful request; an unexpected failure answers its events 500 and
 * dispatching goes on; a dispatcher that cannot go on says so; a stop sends what is
 * queued first.
 */
class WriteDispatcherTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ConnectorMetrics metrics = new ConnectorMetrics(this.registry);

	private final SyncSettings settings = SyncParts.sync(Duration.ofSeconds(20), WriteMode.BATCH, Duration.ZERO);

	private final HubSpotRequestBudget budget = new HubSpotClients(
			HubSpotClients.settings("http://127.0.0.1:9/crm/v3/objects/contacts", "token", Duration.ofSeconds(1),
					1000.0, Duration.ofSeconds(2), 0, Duration.ofSeconds(1)),
			this.metrics)
		.budget();

	private final ThreadPoolTaskScheduler timers = new ThreadPoolTaskScheduler();

	private final ThreadPoolTaskExecutor workers = new SyncConfiguration().hubSpotWorkers(this.settings);

	private final StaticApplicationContext context = new StaticApplicationContext();

	private final List<LivenessState> liveness = Collections.synchronizedList(new ArrayList<>());

	private EventOutcomes outcomes;

	private WriteDispatcher dispatcher;

	WriteDispatcherTest() {
		this.timers.initialize();
		this.workers.initialize();
		this.context.addApplicationListener((ApplicationListener<AvailabilityChangeEvent<?>>) (event) -> {
			if (event.getState() instanceof LivenessState state) {
				this.liveness.add(state);
			}
		});
		this.context.refresh();
		this.outcomes = new EventOutcomes(this.budget, this.metrics, this.settings, this.timers);
	}

	@AfterEach
	void stop() throws InterruptedException {
		if (this.dispatcher != null && this.dispatcher.isRunning()) {
			CountDownLatch stopped = new CountDownLatch(1);
			this.dispatcher.stop(stopped::countDown);
			stopped.await(10, TimeUnit.SECONDS);
		}
		this.workers.shutdown();
		this.timers.shutdown();
	}

	@Test
	void writesThatShareASubscriberOrAnEmailNeverRunAtOnce() throws Exception {
		Set<String> busy = Collections.synchronizedSet(new HashSet<>());
		List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger atOnce = new AtomicInteger();
		AtomicInteger mostAtOnce = new AtomicInteger();
		start((contacts) -> {
			List<String> claims = new ArrayList<>();
			contacts.forEach((events) -> {
				claims.add(events.get(0).contactKey());
				events.forEach((event) -> claims.add(event.upsert().emailKey()));
			});
			for (String claim : new HashSet<>(claims)) {
				if (!busy.add(claim)) {
					overlaps.add(claim);
				}
			}
			mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
			pause(30);
			atOnce.decrementAndGet();
			claims.forEach(busy::remove);
			return new SyncRound.Result();
		});
		List<PendingEvent> events = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			// Four subscribers, three emails, mixed across them.
			events.add(event("e" + i, "a:" + (i % 4), "user" + (i % 3) + "@x.com"));
		}
		events.forEach(this.dispatcher::enqueue);
		for (PendingEvent event : events) {
			assertThat(event.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		}
		assertThat(overlaps).isEmpty();
		assertThat(mostAtOnce.get()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void aContactInDoubtWaitsUntilHubSpotCanNoLongerApplyTheDoubtfulRequest() throws Exception {
		long[] doubtUntil = { 0 };
		List<Long> startedAt = Collections.synchronizedList(new ArrayList<>());
		start((contacts) -> {
			startedAt.add(System.nanoTime());
			SyncRound.Result result = new SyncRound.Result();
			if (startedAt.size() == 1) {
				doubtUntil[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
				result.inDoubtUntil.put("a:1", doubtUntil[0]);
			}
			return result;
		});
		PendingEvent first = event("d1", "a:1", "doubt@x.com");
		this.dispatcher.enqueue(first);
		first.outcome().get(5, TimeUnit.SECONDS);
		PendingEvent second = event("d2", "a:1", "doubt@x.com");
		this.dispatcher.enqueue(second);
		second.outcome().get(5, TimeUnit.SECONDS);
		assertThat(startedAt).hasSize(2);
		assertThat(startedAt.get(1) - doubtUntil[0]).as("the second write starts after the doubt").isNotNegative();
	}

	@Test
	void aRoundThatFailsUnexpectedlyIsAnswered500AndTheNextOneGoesOn() throws Exception {
		AtomicInteger rounds = new AtomicInteger();
		start((contacts) -> {
			if (rounds.incrementAndGet() == 1) {
				throw new IllegalStateException("a bug");
			}
			return new SyncRound.Result();
		});
		PendingEvent first = event("f1", "a:1", "a@x.com");
		this.dispatcher.enqueue(first);
		assertThat(first.outcome().get(5, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Failed());
		PendingEvent second = event("f2", "a:1", "a@x.com");
		this.dispatcher.enqueue(second);
		assertThat(second.outcome().get(5, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		assertThat(this.registry.counter(ConnectorMetrics.DISPATCH_FAILURES).count()).isEqualTo(1);
		assertThat(this.dispatcher.isRunning()).isTrue();
		assertThat(this.liveness).isEmpty();
	}

	@Test
	void aDispatcherThatCannotGoOnSaysSoAndAnswersWhatComesLater500() throws Exception {
		WriteDispatcher broken = new WriteDispatcher(this.budget, scripted((contacts) -> {
			throw new StackOverflowError("the dispatcher thread ends");
		}), ContactLocks.IN_PROCESS, this.outcomes, this.settings, new SyncConfiguration().writeDispatcherThread(),
				(task) -> task.run(), this.context);
		this.dispatcher = broken;
		broken.start();
		broken.enqueue(event("b1", "a:1", "a@x.com"));
		await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5)).until(() -> !broken.isRunning());
		assertThat(this.liveness).containsExactly(LivenessState.BROKEN);
		PendingEvent later = event("b2", "a:2", "b@x.com");
		broken.enqueue(later);
		assertThat(later.outcome().get(5, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Failed());
	}

	@Test
	void aContactWhoseLockFailedIsAnsweredAtOnceAndWrittenNextTime() throws Exception {
		// Redis unreachable while the round locks its contacts, then back.
		AtomicInteger lockCalls = new AtomicInteger();
		ContactLocks flaky = new ContactLocks() {

			@Override
			public List<Duration> tryLock(List<List<String>> claims, long owner) {
				if (lockCalls.incrementAndGet() == 1) {
					throw new SharedStateUnavailableException(new IllegalStateException("connection refused"));
				}
				return ContactLocks.IN_PROCESS.tryLock(claims, owner);
			}

			@Override
			public void unlock(List<List<String>> claims, long owner, List<Duration> inDoubtFor) {
				ContactLocks.IN_PROCESS.unlock(claims, owner, inDoubtFor);
			}

		};
		this.dispatcher = new WriteDispatcher(this.budget, scripted((contacts) -> new SyncRound.Result()), flaky,
				this.outcomes, this.settings, new SyncConfiguration().writeDispatcherThread(), this.workers,
				this.context);
		this.dispatcher.start();
		PendingEvent first = event("lock-1", "a:1", "lock@x.com");
		this.dispatcher.enqueue(first);
		// Well before its 20 s deadline.
		assertThat(first.outcome().get(5, TimeUnit.SECONDS)).isInstanceOf(SyncOutcome.Unavailable.class);
		// Redelivered as NSPS does: one queued while the failure is still being answered
		// is answered 503 too; a later one is written.
		SyncOutcome later = null;
		for (int attempt = 0; attempt < 5 && !(later instanceof SyncOutcome.Synced); attempt++) {
			PendingEvent again = event("lock-2-" + attempt, "a:1", "lock@x.com");
			this.dispatcher.enqueue(again);
			later = again.outcome().get(5, TimeUnit.SECONDS);
		}
		assertThat(later).isEqualTo(new SyncOutcome.Synced());
	}

	@Test
	void aStopSendsWhatIsQueuedThenStops() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		start((contacts) -> {
			awaitLatch(release);
			return new SyncRound.Result();
		});
		PendingEvent first = event("s1", "a:1", "a@x.com");
		PendingEvent second = event("s2", "a:1", "a@x.com");
		this.dispatcher.enqueue(first);
		this.dispatcher.enqueue(second);
		CountDownLatch stopped = new CountDownLatch(1);
		this.dispatcher.stop(stopped::countDown);
		assertThat(stopped.getCount()).isEqualTo(1);
		release.countDown();
		assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(first.outcome().get()).isEqualTo(new SyncOutcome.Synced());
		assertThat(second.outcome().get()).isEqualTo(new SyncOutcome.Synced());
		assertThat(this.dispatcher.isRunning()).isFalse();
	}

	private void start(Function<List<List<PendingEvent>>, SyncRound.Result> round) {
		this.dispatcher = new WriteDispatcher(this.budget, scripted(round), ContactLocks.IN_PROCESS, this.outcomes,
				this.settings, new SyncConfiguration().writeDispatcherThread(), this.workers, this.context);
		this.dispatcher.start();
	}

	/** A round that does what the test says, then confirms every event it was given. */
	private SyncRound scripted(Function<List<List<PendingEvent>>, SyncRound.Result> round) {
		EventOutcomes answers = this.outcomes;
		return new SyncRound(null, null, null, answers, new WriteSpans(Tracer.NOOP)) {

			@Override
			Result run(List<List<PendingEvent>> contacts, Permit permit, WriteSpans.Interval permitWait) {
				Result result = round.apply(contacts);
				contacts.forEach((events) -> events.forEach(answers::written));
				return result;
			}

		};
	}

	private PendingEvent event(String id, String key, String email) {
		PendingEvent event = new PendingEvent(
				new ContactUpsert(id, "SIM/Updated", null, email, Map.of("email", email), null), key, 1, 1,
				Deadline.after(Duration.ofSeconds(20)), WriteSpans.EventSpan.NONE);
		this.outcomes.track(event);
		return event;
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
