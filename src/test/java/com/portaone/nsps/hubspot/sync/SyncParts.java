package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.client.HubSpotClients;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.context.support.StaticApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The sync engine as Spring wires it, from the real client, budget, store, planner,
 * writer and dispatcher, for tests of the sync package against a HubSpot stand-in.
 */
final class SyncParts implements AutoCloseable {

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final ConnectorMetrics metrics = new ConnectorMetrics(this.registry);

	final HubSpotRequestBudget budget;

	final ContactStore store;

	final EventOutcomes outcomes;

	final ContactPlanner planner;

	final ContactWriter writer;

	final SyncRound round;

	final WriteDispatcher dispatcher;

	final SyncEngine engine;

	private final ThreadPoolTaskScheduler timers = new ThreadPoolTaskScheduler();

	private final ThreadPoolTaskExecutor workers;

	private final StaticApplicationContext events = new StaticApplicationContext();

	SyncParts(HubSpotSettings hubSpot, SyncSettings sync, ContactStore store, ContactLocks locks) {
		HubSpotClients clients = new HubSpotClients(hubSpot, this.metrics);
		this.budget = clients.budget();
		this.store = store;
		this.timers.initialize();
		SyncConfiguration configuration = new SyncConfiguration();
		this.workers = configuration.hubSpotWorkers(sync);
		this.workers.initialize();
		this.outcomes = new EventOutcomes(this.budget, this.metrics, sync, this.timers);
		WriteSpans spans = new WriteSpans(Tracer.NOOP);
		this.planner = new ContactPlanner(store, sync);
		this.writer = new ContactWriter(clients.contacts(),
				new HubSpotAttempts(this.budget, hubSpot, this.metrics, spans), this.metrics);
		this.round = new SyncRound(this.planner, this.writer, store, this.outcomes, spans);
		this.events.refresh();
		this.dispatcher = new WriteDispatcher(this.budget, this.round, locks, this.outcomes, sync,
				configuration.writeDispatcherThread(), this.workers, this.events);
		this.dispatcher.start();
		this.engine = new SyncEngine(store, this.outcomes, this.dispatcher, spans, sync, this.metrics);
	}

	/** In batch mode, in one process. */
	static SyncParts start(HubSpotSettings hubSpot, Duration eventDeadline) {
		return new SyncParts(hubSpot, sync(eventDeadline, WriteMode.BATCH, Duration.ofHours(24)),
				ContactStore.inProcess(new StoreSettings(10_000, Duration.ofDays(1))), ContactLocks.IN_PROCESS);
	}

	static SyncSettings sync(Duration eventDeadline, WriteMode mode, Duration unchangedTtl) {
		return new SyncSettings(eventDeadline, 16, mode, ZoneOffset.UTC, Duration.ofMinutes(5), unchangedTtl);
	}

	List<CompletableFuture<SyncOutcome>> submit(List<ContactUpsert> upserts) {
		List<CompletableFuture<SyncOutcome>> futures = new ArrayList<>();
		upserts.forEach((upsert) -> futures.add(this.engine.submit(upsert)));
		return futures;
	}

	/**
	 * Submits the events so that they leave in one batch: with the budget's next permit
	 * taken here, the dispatcher waits a permit spacing before it takes what is queued,
	 * and submitting takes far less.
	 */
	List<CompletableFuture<SyncOutcome>> submitTogether(List<ContactUpsert> upserts) {
		this.budget.acquire(Duration.ofSeconds(5));
		return submit(upserts);
	}

	static List<SyncOutcome> outcomes(List<CompletableFuture<SyncOutcome>> futures) throws Exception {
		List<SyncOutcome> outcomes = new ArrayList<>();
		for (CompletableFuture<SyncOutcome> future : futures) {
			outcomes.add(future.get(30, TimeUnit.SECONDS));
		}
		return outcomes;
	}

	@Override
	public void close() throws InterruptedException {
		CountDownLatch stopped = new CountDownLatch(1);
		this.dispatcher.stop(stopped::countDown);
		stopped.await(10, TimeUnit.SECONDS);
		this.workers.shutdown();
		this.timers.shutdown();
	}

	/** A SIM/Created with every property, for the subscriber {@code account}. */
	static ContactUpsert created(String eventId, @Nullable Long account, String email,
			@Nullable LocalDateTime eventTime) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("email", email);
		properties.put("firstname", "Olena");
		properties.put("lastname", "Kovalenko");
		if (account != null) {
			properties.put("account_id", account.toString());
		}
		properties.put("imsi", "255011234567890");
		return new ContactUpsert(eventId, "SIM/Created", account, email, properties, eventTime);
	}

	/** A SIM/Updated carrying the email and the given properties. */
	static ContactUpsert updated(String eventId, @Nullable Long account, String email,
			@Nullable LocalDateTime eventTime, Map<String, String> changed) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("email", email);
		properties.putAll(changed);
		return new ContactUpsert(eventId, "SIM/Updated", account, email, properties, eventTime);
	}

	/** {@code count} subscribers' SIM/Created, distinct accounts and emails. */
	static List<ContactUpsert> created(String prefix, int count) {
		List<ContactUpsert> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			events.add(created(prefix + "-evt-" + i, 1_000_000L + i, prefix + "-" + i + "@example.com", null));
		}
		return events;
	}

}
