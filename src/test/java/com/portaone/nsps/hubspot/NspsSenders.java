package com.portaone.nsps.hubspot;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;

/**
 * NSPS-like senders for load and crash tests: concurrent senders each post one event at a
 * time and redeliver it 1 s after a 429, a 503, a timeout or a broken connection, until
 * it is answered 202. Every loop is bounded: an event is given up after
 * {@code maxAttempts} deliveries, and a whole run after its time bound.
 */
final class NspsSenders {

	static final Duration REDELIVERY_DELAY = Duration.ofSeconds(1);

	private final HttpClient http;

	private final String apiToken;

	private final int maxAttempts;

	private final Duration answerTimeout;

	private final Set<Integer> started = ConcurrentHashMap.newKeySet();

	private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();

	private final Set<Integer> gaveUp = ConcurrentHashMap.newKeySet();

	private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

	private final AtomicInteger redeliveries = new AtomicInteger();

	private final AtomicInteger timeouts = new AtomicInteger();

	private final AtomicInteger connectionFailures = new AtomicInteger();

	private final AtomicLong slowestAnswerNanos = new AtomicLong();

	private volatile boolean stopped;

	/**
	 * @param apiToken the connector's API token
	 * @param maxAttempts deliveries of one event before the sender gives it up
	 * @param answerTimeout how long one delivery waits for its answer, as NSPS does
	 */
	NspsSenders(String apiToken, int maxAttempts, Duration answerTimeout) {
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		this.apiToken = apiToken;
		this.maxAttempts = maxAttempts;
		this.answerTimeout = answerTimeout;
	}

	/**
	 * Delivers the events from {@code senders} concurrent senders until each is
	 * acknowledged, given up, or the run is stopped or out of time.
	 * @param connector where to post
	 * @param run the run's id, as in {@link SimEvents}
	 * @param events the subscriber numbers to deliver
	 * @param senders concurrent senders
	 * @param bound time bound of the whole run
	 * @return whether every sender finished within the bound
	 */
	boolean deliver(ConnectorProcess connector, String run, List<Integer> events, int senders, Duration bound)
			throws InterruptedException {
		return deliver(List.of(connector), run, events, senders, bound);
	}

	/**
	 * As {@link #deliver(ConnectorProcess, String, List, int, Duration)}, to replicas
	 * behind one service: each delivery goes to the next replica in turn, so that a
	 * redelivery usually reaches another replica than the first try did.
	 * @param replicas where to post
	 */
	boolean deliver(List<ConnectorProcess> replicas, String run, List<Integer> events, int senders, Duration bound)
			throws InterruptedException {
		long end = System.nanoTime() + bound.toNanos();
		AtomicInteger next = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(senders);
		for (int s = 0; s < senders; s++) {
			Thread sender = new Thread(() -> {
				try {
					for (int i = next.getAndIncrement(); i < events.size() && !this.stopped
							&& System.nanoTime() < end; i = next.getAndIncrement()) {
						deliverOne(replicas, run, events.get(i), end);
					}
				}
				finally {
					done.countDown();
				}
			}, "nsps-sender-" + s);
			sender.setDaemon(true);
			sender.start();
		}
		// Some slack past the bound for answers already on their way.
		return done.await(bound.plus(this.answerTimeout).toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Posts one event until it is acknowledged, redelivering as NSPS does. */
	private void deliverOne(List<ConnectorProcess> replicas, String run, int n, long end) {
		this.started.add(n);
		String body = SimEvents.created(run, n);
		for (int attempt = 1; attempt <= this.maxAttempts; attempt++) {
			if (this.stopped) {
				return;
			}
			HttpRequest request = HttpRequest
				.newBuilder(replicas.get((n + attempt) % replicas.size()).uri("/process-event"))
				.header("Authorization", "Bearer " + this.apiToken)
				.header("Content-Type", "application/json")
				.timeout(this.answerTimeout)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			long sent = System.nanoTime();
			try {
				int status = this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
				this.slowestAnswerNanos.accumulateAndGet(System.nanoTime() - sent, Math::max);
				this.statuses.computeIfAbsent(status, (s) -> new AtomicInteger()).incrementAndGet();
				if (status == 202) {
					this.acknowledged.add(n);
					return;
				}
				if (status != 429 && status != 503) {
					// NSPS would not redeliver it; the test fails on the status.
					return;
				}
			}
			catch (HttpTimeoutException ex) {
				// NSPS treats a timeout as a failure and redelivers.
				this.timeouts.incrementAndGet();
			}
			catch (IOException ex) {
				// Likewise a refused or broken connection.
				this.connectionFailures.incrementAndGet();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (this.stopped || attempt == this.maxAttempts || System.nanoTime() > end) {
				break;
			}
			this.redeliveries.incrementAndGet();
			try {
				Thread.sleep(REDELIVERY_DELAY.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		if (!this.stopped) {
			this.gaveUp.add(n);
		}
	}

	/** Senders stop at their next step: no new delivery, no redelivery. */
	void stop() {
		this.stopped = true;
	}

	/** Events a sender took up, acknowledged or not. */
	Set<Integer> started() {
		return Set.copyOf(this.started);
	}

	Set<Integer> acknowledged() {
		return Set.copyOf(this.acknowledged);
	}

	int acknowledgedCount() {
		return this.acknowledged.size();
	}

	/** Events given up after {@code maxAttempts} deliveries or at the time bound. */
	Set<Integer> gaveUp() {
		return Set.copyOf(this.gaveUp);
	}

	/** Answers by HTTP status, every delivery counted. */
	Map<Integer, Integer> statuses() {
		Map<Integer, Integer> copy = new TreeMap<>();
		this.statuses.forEach((status, count) -> copy.put(status, count.get()));
		return copy;
	}

	int redeliveries() {
		return this.redeliveries.get();
	}

	int timeouts() {
		return this.timeouts.get();
	}

	int connectionFailures() {
		return this.connectionFailures.get();
	}

	long slowestAnswerMillis() {
		return TimeUnit.NANOSECONDS.toMillis(this.slowestAnswerNanos.get());
	}

	/** Properties the contact of subscriber {@code n} must have, from SimEvents. */
	static Map<String, String> expectedContact(String run, int n) {
		return Map.of("email", SimEvents.email(run, n), "firstname", "First" + n, "lastname", "Last" + n, "phone",
				String.format(Locale.ROOT, "555%07d", n), "account_id", Long.toString(SimEvents.account(run, n)),
				"sim_card_id", Integer.toString(500_000 + n), "imsi", String.format(Locale.ROOT, "00101%010d", n),
				"has_add_ons", "true", "type", "CREDIT ACCOUNT");
	}

	/**
	 * Events whose contact is missing from the stand-in or differs from what the event
	 * carries, each with the reason; empty when all are right.
	 */
	static List<String> wrongContacts(HubSpotStandIn standIn, String run, Iterable<Integer> events) {
		List<String> wrong = new ArrayList<>();
		for (int n : events) {
			Map<String, String> expected = expectedContact(run, n);
			Map<String, String> actual = standIn.contact(SimEvents.email(run, n)).orElse(null);
			if (actual == null) {
				wrong.add("event " + n + ": no contact");
			}
			else if (!actual.entrySet().containsAll(expected.entrySet())) {
				wrong.add("event " + n + ": " + actual);
			}
		}
		return wrong;
	}

}
