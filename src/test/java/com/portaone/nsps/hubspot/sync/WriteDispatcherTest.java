package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.portaone.nsps.hubspot.client.HubSpotClients;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.Permit;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher is supervised: an unexpected failure answers the events concerned 500,
 * is counted, and dispatching goes on; if the dispatcher thread itself ends, that is
 * reported so that liveness can say so.
 */
class WriteDispatcherTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ConnectorMetrics metrics = new ConnectorMetrics(this.registry);

	private final HubSpotRequestBudget budget = new HubSpotClients(
			HubSpotWrites.settings("http://127.0.0.1:9", Duration.ofSeconds(1), 1000.0, Duration.ofSeconds(2), 0),
			this.metrics)
		.budget();

	private final WriteOrdering ordering = new WriteOrdering(
			new LocalOrderingStore(new RedeliverySettings(100, Duration.ofDays(1))), this.metrics);

	private final ExecutorService senders = Executors.newFixedThreadPool(2);

	private final AtomicBoolean ended = new AtomicBoolean();

	private WriteDispatcher dispatcher;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.dispatcher != null) {
			this.dispatcher.stop(Duration.ofSeconds(2));
		}
		this.senders.shutdownNow();
	}

	@Test
	void aWriteThatFailsUnexpectedlyIsAnswered500AndTheNextOneGoesOn() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		this.dispatcher = dispatcher(new Writer((writes) -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("a bug");
			}
			writes.forEach(this.ordering::confirmed);
		}));
		PendingWrite first = event("e1", "a@x.com");
		this.dispatcher.enqueue(first);
		assertThat(first.outcome().get(5, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Failed());
		PendingWrite second = event("e2", "a@x.com");
		this.dispatcher.enqueue(second);
		assertThat(second.outcome().get(5, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		assertThat(this.registry.counter(ConnectorMetrics.DISPATCH_FAILURES).count()).isEqualTo(1);
		assertThat(this.dispatcher.isDispatching()).isTrue();
		assertThat(this.ended).isFalse();
	}

	@Test
	void aFailureOnTheDispatcherThreadAnswersItsRoundAndDispatchingGoesOn() throws Exception {
		AtomicInteger rounds = new AtomicInteger();
		this.dispatcher = dispatcher(new Writer((writes) -> writes.forEach(this.ordering::confirmed)) {

			@Override
			public int maxContacts() {
				if (rounds.incrementAndGet() == 1) {
					throw new IllegalStateException("a bug on the dispatcher thread");
				}
				return 100;
			}

		});
		PendingWrite first = event("e1", "a@x.com");
		this.dispatcher.enqueue(first);
		PendingWrite second = event("e2", "b@x.com");
		this.dispatcher.enqueue(second);
		await().atMost(Duration.ofSeconds(5)).until(() -> first.isAnswered() && second.isAnswered());
		assertThat(List.of(first.outcome().get(), second.outcome().get())).contains(new SyncOutcome.Synced());
		assertThat(this.registry.counter(ConnectorMetrics.DISPATCH_FAILURES).count()).isEqualTo(1);
		PendingWrite third = event("e3", "c@x.com");
		this.dispatcher.enqueue(third);
		assertThat(third.outcome().get(5, TimeUnit.SECONDS)).isEqualTo(new SyncOutcome.Synced());
		assertThat(this.ended).isFalse();
	}

	@Test
	void aDispatcherThatCannotGoOnSaysSo() throws Exception {
		this.dispatcher = dispatcher(new Writer((writes) -> writes.forEach(this.ordering::confirmed)) {

			@Override
			public int maxContacts() {
				throw new StackOverflowError("the dispatcher thread ends");
			}

		});
		this.dispatcher.enqueue(event("e1", "a@x.com"));
		// The Error leaves the dispatcher thread on purpose; it is not this test's
		// failure.
		await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5)).untilTrue(this.ended);
		assertThat(this.dispatcher.isDispatching()).isFalse();
	}

	private WriteDispatcher dispatcher(ContactWriter writer) {
		return new WriteDispatcher(writer, this.budget, this.ordering, ContactLocks.IN_PROCESS,
				new SyncOutcomes(this.budget), this.senders, this.metrics, () -> this.ended.set(true));
	}

	private static PendingWrite event(String id, String email) {
		return new PendingWrite(new ContactUpsert(id, "SIM/Updated", email, Map.of("email", email), null), 1, 1,
				Deadline.after(Duration.ofSeconds(30)));
	}

	/** A writer that hands each batch to a test's action. */
	private static class Writer implements ContactWriter {

		private final java.util.function.Consumer<List<ContactWrite>> action;

		Writer(java.util.function.Consumer<List<ContactWrite>> action) {
			this.action = action;
		}

		@Override
		public void write(List<ContactWrite> writes, Permit permit) {
			this.action.accept(writes);
		}

		@Override
		public int maxContacts() {
			return 100;
		}

	}

}
