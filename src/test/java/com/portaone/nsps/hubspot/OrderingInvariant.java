package com.portaone.nsps.hubspot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import com.portaone.nsps.hubspot.standin.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One seeded run of NSPS-like traffic and the check of SPEC §4's invariant: for every
 * contact and property, HubSpot holds the value of the newest acknowledged event that
 * carried it.
 * <p>
 * Each subscriber gets a SIM/Created, then SIM/Updated events that carry only some
 * properties, each newer than the last; emails come in upper case now and then. About a
 * fifth of the deliveries are moved a few places later (newer data arrives first), a
 * tenth are delivered twice, and concurrent senders deliver them. Whatever is not
 * answered 2xx is delivered again after a short pause, as NSPS does, until it is. The
 * seed fixes the events and the order; HubSpot's faults are drawn at random by the
 * stand-in.
 */
final class OrderingInvariant {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	/** Properties a SIM/Updated may carry: the event field and the contact property. */
	private static final List<String> UPDATABLE = List.of("firstname", "lastname", "phone1", "billing_model",
			"assigned_addons", "i_sim_card", "imsi", "i_account");

	private static final List<String> BILLING_MODELS = List.of("credit_account", "debit_account", "prepaid",
			"postpaid_plus");

	private final long seed;

	private final String run;

	private final Random random;

	private final List<Event> events = new ArrayList<>();

	OrderingInvariant(long seed, String run) {
		this.seed = seed;
		this.run = run;
		this.random = new Random(seed);
	}

	/**
	 * Generates the events.
	 * @param subscribers how many subscribers
	 * @param updates SIM/Updated events per subscriber
	 */
	OrderingInvariant generate(int subscribers, int updates) {
		LocalDateTime start = LocalDateTime.of(2026, 3, 1, 0, 0).plusMinutes(this.random.nextInt(100_000));
		for (int s = 0; s < subscribers; s++) {
			String email = "inv-" + this.run + "-" + this.seed + "-" + s + "@example.com";
			LocalDateTime time = start.plusHours(s);
			Map<String, Object> fields = new LinkedHashMap<>();
			for (String field : UPDATABLE) {
				fields.put(field, value(field, s, 0));
			}
			this.events.add(new Event(s, 0, "SIM/Created", email, time, fields));
			for (int j = 1; j <= updates; j++) {
				time = time.plusSeconds(1 + this.random.nextInt(600));
				List<String> chosen = new ArrayList<>(UPDATABLE);
				Collections.shuffle(chosen, this.random);
				Map<String, Object> some = new LinkedHashMap<>();
				for (String field : chosen.subList(0, 1 + this.random.nextInt(4))) {
					some.put(field, value(field, s, j));
				}
				this.events.add(new Event(s, j, "SIM/Updated", email, time, some));
			}
		}
		return this;
	}

	private Object value(String field, int subscriber, int version) {
		int n = subscriber * 1000 + version;
		return switch (field) {
			case "firstname" -> "First" + n + "-" + this.random.nextInt(1000);
			case "lastname" -> "Last" + n + "-" + this.random.nextInt(1000);
			case "phone1" -> String.format(Locale.ROOT, "%010d", this.random.nextInt(1_000_000_000));
			case "billing_model" -> BILLING_MODELS.get(this.random.nextInt(BILLING_MODELS.size()));
			case "assigned_addons" -> this.random.nextBoolean();
			case "i_sim_card" -> 500_000 + this.random.nextInt(1_000_000);
			case "imsi" -> String.format(Locale.ROOT, "00101%010d", this.random.nextInt(1_000_000_000));
			case "i_account" -> 100_000 + this.random.nextInt(1_000_000);
			default -> throw new IllegalArgumentException(field);
		};
	}

	/**
	 * The deliveries in NSPS's order: subscribers interleaved, about a fifth moved a few
	 * places later, about a tenth twice.
	 */
	List<Event> deliveries() {
		Map<Integer, List<Event>> bySubscriber = new TreeMap<>();
		this.events
			.forEach((event) -> bySubscriber.computeIfAbsent(event.subscriber, (s) -> new ArrayList<>()).add(event));
		List<Event> order = new ArrayList<>();
		List<List<Event>> queues = new ArrayList<>();
		bySubscriber.values().forEach((list) -> queues.add(new ArrayList<>(list)));
		while (!queues.isEmpty()) {
			int pick = this.random.nextInt(queues.size());
			order.add(queues.get(pick).remove(0));
			if (queues.get(pick).isEmpty()) {
				queues.remove(pick);
			}
		}
		for (int i = order.size() - 1; i >= 0; i--) {
			if (this.random.nextDouble() < 0.2) {
				int to = Math.min(order.size() - 1, i + 1 + this.random.nextInt(5));
				order.add(to, order.remove(i));
			}
		}
		List<Event> twice = new ArrayList<>();
		for (Event event : order) {
			if (this.random.nextDouble() < 0.1) {
				twice.add(event);
			}
		}
		for (Event event : twice) {
			order.add(this.random.nextInt(order.size() + 1), event);
		}
		return order;
	}

	/**
	 * Delivers everything as NSPS would until each event is acknowledged.
	 * @param http the client to post with
	 * @param processEvent the connector's event URL
	 * @param apiToken the connector's token
	 * @param senders concurrent deliveries
	 * @param bound the longest the run may take
	 * @return what happened
	 */
	Delivery deliver(HttpClient http, URI processEvent, String apiToken, int senders, Duration bound)
			throws InterruptedException {
		return deliver(http, List.of(processEvent), apiToken, senders, bound);
	}

	/**
	 * As {@link #deliver(HttpClient, URI, String, int, Duration)}, to replicas behind one
	 * service: each delivery goes to the next replica in turn.
	 * @param replicas the event URL of each replica
	 */
	Delivery deliver(HttpClient http, List<URI> replicas, String apiToken, int senders, Duration bound)
			throws InterruptedException {
		AtomicInteger turn = new AtomicInteger();
		List<Event> order = deliveries();
		Delivery delivery = new Delivery(order.size());
		DelayQueue<Pending> queue = new DelayQueue<>();
		long now = System.nanoTime();
		for (int i = 0; i < order.size(); i++) {
			// A small stagger keeps the order while the senders work in parallel.
			queue.add(new Pending(order.get(i), now + TimeUnit.MILLISECONDS.toNanos(i)));
		}
		long end = now + bound.toNanos();
		AtomicInteger open = new AtomicInteger(order.size());
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < senders; t++) {
			Thread thread = new Thread(() -> {
				while (open.get() > 0 && System.nanoTime() < end) {
					Pending pending;
					try {
						pending = queue.poll(50, TimeUnit.MILLISECONDS);
					}
					catch (InterruptedException ex) {
						return;
					}
					if (pending == null) {
						continue;
					}
					int status = post(http, replicas.get(Math.floorMod(turn.getAndIncrement(), replicas.size())),
							apiToken, pending.event);
					delivery.statuses.merge(status, 1, Integer::sum);
					if (status / 100 == 2) {
						delivery.acknowledged.add(pending.event.id());
						open.decrementAndGet();
					}
					else {
						delivery.redeliveries.incrementAndGet();
						queue.add(new Pending(pending.event,
								System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100 + this.random.nextInt(300))));
					}
				}
			}, "nsps-" + this.seed + "-" + t);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()) + 5000));
		}
		delivery.unacknowledged = open.get();
		return delivery;
	}

	private static int post(HttpClient http, URI processEvent, String apiToken, Event event) {
		HttpRequest request = HttpRequest.newBuilder(processEvent)
			.header("Authorization", "Bearer " + apiToken)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(event.json()))
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/**
	 * The invariant: for every contact and property, HubSpot holds the value of the
	 * newest acknowledged event that carried it.
	 * @return one line per violation
	 */
	List<String> violations(HubSpotStandIn standIn, Set<String> acknowledged) {
		List<String> violations = new ArrayList<>();
		Map<Integer, List<Event>> bySubscriber = new TreeMap<>();
		this.events.stream()
			.filter((event) -> acknowledged.contains(event.id()))
			.forEach((event) -> bySubscriber.computeIfAbsent(event.subscriber, (s) -> new ArrayList<>()).add(event));
		for (Map.Entry<Integer, List<Event>> subscriber : bySubscriber.entrySet()) {
			List<Event> events = subscriber.getValue();
			String email = events.get(0).email;
			Map<String, String> held = standIn.contact(email).orElse(null);
			if (held == null) {
				violations.add("seed " + this.seed + ", " + email + ": no contact in HubSpot");
				continue;
			}
			if (!email.equalsIgnoreCase(held.getOrDefault("email", ""))) {
				violations.add("seed " + this.seed + ", " + email + ": email " + held.get("email"));
			}
			Map<String, Event> newest = new TreeMap<>();
			for (Event event : events) {
				for (String property : event.properties().keySet()) {
					Event known = newest.get(property);
					if (known == null || event.time.isAfter(known.time)) {
						newest.put(property, event);
					}
				}
			}
			newest.forEach((property, event) -> {
				String expected = event.properties().get(property);
				String actual = held.get(property);
				if (!expected.equals(actual)) {
					violations.add("seed " + this.seed + ", " + email + ", " + property + ": HubSpot holds " + actual
							+ ", the newest acknowledged event " + event.id() + " (" + event.time + ") carried "
							+ expected);
				}
			});
		}
		return violations;
	}

	/** Batch upserts that carried one email twice (case-insensitively). */
	static List<String> emailsTwiceInOneRequest(List<RecordedRequest> requests) {
		List<String> twice = new ArrayList<>();
		for (RecordedRequest request : requests) {
			if (!request.path().endsWith("/batch/upsert")) {
				continue;
			}
			Set<String> seen = new HashSet<>();
			for (JsonNode input : JSON.readTree(request.body()).path("inputs")) {
				String id = input.path("id").asString("").toLowerCase(Locale.ROOT);
				if (!seen.add(id)) {
					twice.add(id);
				}
			}
		}
		return twice;
	}

	int eventCount() {
		return this.events.size();
	}

	/** One seed's events and what their delivery did. */
	record SeedRun(long seed, OrderingInvariant invariant, Delivery delivery) {

		SeedRun(OrderingInvariant invariant, Delivery delivery) {
			this(invariant.seed, invariant, delivery);
		}

	}

	/**
	 * Many seeds' runs added up and checked against what HubSpot holds.
	 *
	 * @param violations one line per contact or property not holding the newest
	 * acknowledged value
	 * @param neverAcknowledged one line per seed with events NSPS never saw acknowledged
	 */
	record Checked(List<String> violations, List<String> neverAcknowledged, Map<Integer, Integer> statuses, int events,
			int deliveries, int redeliveries) {

		static Checked of(HubSpotStandIn standIn, List<SeedRun> runs) {
			List<String> violations = new ArrayList<>();
			List<String> neverAcknowledged = new ArrayList<>();
			Map<Integer, Integer> statuses = new TreeMap<>();
			int events = 0;
			int deliveries = 0;
			int redeliveries = 0;
			for (SeedRun run : runs) {
				if (run.delivery().unacknowledged > 0) {
					neverAcknowledged
						.add("seed " + run.seed() + ": " + run.delivery().unacknowledged + " never acknowledged");
				}
				violations.addAll(run.invariant().violations(standIn, run.delivery().acknowledged));
				run.delivery().statuses.forEach((status, count) -> statuses.merge(status, count, Integer::sum));
				events += run.invariant().eventCount();
				deliveries += run.delivery().deliveries;
				redeliveries += run.delivery().redeliveries.get();
			}
			return new Checked(violations, neverAcknowledged, statuses, events, deliveries, redeliveries);
		}

	}

	/** What a run of deliveries did. */
	static final class Delivery {

		final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

		final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();

		final AtomicInteger redeliveries = new AtomicInteger();

		final int deliveries;

		volatile int unacknowledged;

		Delivery(int deliveries) {
			this.deliveries = deliveries;
		}

	}

	/** One generated event. */
	final class Event {

		private final int subscriber;

		private final int version;

		private final String type;

		private final String email;

		private final LocalDateTime time;

		private final Map<String, Object> fields;

		private final String json;

		Event(int subscriber, int version, String type, String email, LocalDateTime time, Map<String, Object> fields) {
			this.subscriber = subscriber;
			this.version = version;
			this.type = type;
			this.email = email;
			this.time = time;
			this.fields = fields;
			this.json = toJson();
		}

		String id() {
			return "inv-" + OrderingInvariant.this.run + "-" + OrderingInvariant.this.seed + "-" + this.subscriber + "-"
					+ this.version;
		}

		String json() {
			return this.json;
		}

		private String toJson() {
			ObjectNode root = JSON.createObjectNode();
			root.put("event_id", id());
			ObjectNode data = root.putObject("data");
			data.put("event_type", this.type);
			data.putObject("variables").put("event_time", EVENT_TIME.format(this.time));
			ObjectNode pb = root.putObject("pb_data");
			ObjectNode account = pb.putObject("account_info");
			ObjectNode sim = pb.putObject("sim_info");
			// Now and then PortaBilling sends the email in another case.
			boolean upper = OrderingInvariant.this.random.nextDouble() < 0.3;
			account.put("email", upper ? this.email.toUpperCase(Locale.ROOT) : this.email);
			this.fields.forEach((field, value) -> {
				ObjectNode target = (field.equals("i_sim_card") || field.equals("imsi")) ? sim : account;
				if (value instanceof Boolean addOns) {
					if (addOns) {
						target.putArray(field).addObject().put("name", "Video UHD");
					}
					else {
						target.putArray(field);
					}
				}
				else if (value instanceof Integer number) {
					target.put(field, number);
				}
				else {
					target.put(field, (String) value);
				}
			});
			return JSON.writeValueAsString(root);
		}

		/** The contact properties the event writes, mapped as SPEC §3 says. */
		Map<String, String> properties() {
			Map<String, String> properties = new LinkedHashMap<>();
			this.fields.forEach((field, value) -> {
				switch (field) {
					case "phone1" -> properties.put("phone", (String) value);
					case "billing_model" ->
						properties.put("type", ((String) value).toUpperCase(Locale.ROOT).replace('_', ' '));
					case "assigned_addons" -> properties.put("has_add_ons", value.toString());
					case "i_sim_card" -> properties.put("sim_card_id", value.toString());
					case "i_account" -> properties.put("account_id", value.toString());
					default -> properties.put(field, value.toString());
				}
			});
			return properties;
		}

	}

	private static final class Pending implements Delayed {

		private final Event event;

		private final long dueNanos;

		Pending(Event event, long dueNanos) {
			this.event = event;
			this.dueNanos = dueNanos;
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(this.dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

	}

}
