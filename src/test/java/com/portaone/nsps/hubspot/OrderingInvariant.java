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
 * subscriber and property (the email included), HubSpot's contact for that subscriber
 * holds the value of the newest acknowledged event that carried it, and no other contact
 * was created for it.
 * <p>
 * Each subscriber (an account) gets a SIM/Created, then SIM/Updated events that carry
 * only some properties, each newer than the last; emails come in upper case now and then.
 * Some subscribers change their email midway: to a new one, or to one another HubSpot
 * contact holds already (put there before the run); their events always name the account,
 * and after the change the events before it are replayed, as NSPS replays. Subscribers
 * who keep their email sometimes send a SIM/Updated that carries only the email, no
 * account. About a fifth of the deliveries are moved a few places later (newer data
 * arrives first), a tenth are delivered twice, and concurrent senders deliver them.
 * Whatever is not answered 2xx is delivered again after a short pause, as NSPS does,
 * until it is. The seed fixes the events and the order; HubSpot's faults are drawn at
 * random by the stand-in.
 */
final class OrderingInvariant {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	/** Properties a SIM/Updated may carry: the event field and the contact property. */
	private static final List<String> UPDATABLE = List.of("firstname", "lastname", "phone1", "billing_model",
			"assigned_addons", "i_sim_card", "imsi");

	private static final List<String> BILLING_MODELS = List.of("credit_account", "debit_account", "prepaid",
			"postpaid_plus");

	private final long seed;

	private final String run;

	private final Random random;

	private final List<Event> events = new ArrayList<>();

	private final List<Subscriber> subscribers = new ArrayList<>();

	OrderingInvariant(long seed, String run) {
		this.seed = seed;
		this.run = run;
		this.random = new Random(seed);
	}

	/**
	 * Generates the events.
	 * @param count how many subscribers
	 * @param updates SIM/Updated events per subscriber
	 */
	OrderingInvariant generate(int count, int updates) {
		LocalDateTime start = LocalDateTime.of(2026, 3, 1, 0, 0).plusMinutes(this.random.nextInt(100_000));
		long accountBase = (Math.floorMod(this.run.hashCode(), 90_000) + 10_000) * 100_000_000L + this.seed * 1000;
		for (int s = 0; s < count; s++) {
			String prefix = "inv-" + this.run + "-" + this.seed + "-" + s;
			Subscriber subscriber = new Subscriber(s, accountBase + s, prefix + "@example.com");
			this.subscribers.add(subscriber);
			// A third change their email: half of those to one another contact holds.
			int changeAt = (updates > 0 && this.random.nextDouble() < 0.33) ? 1 + this.random.nextInt(updates) : -1;
			String newEmail = null;
			if (changeAt > 0) {
				boolean taken = this.random.nextBoolean();
				newEmail = taken ? "taken-" + prefix + "@example.com" : prefix + "-moved@example.com";
				if (taken) {
					subscriber.takenEmail = newEmail;
				}
			}
			LocalDateTime time = start.plusHours(s);
			Map<String, Object> fields = new LinkedHashMap<>();
			for (String field : UPDATABLE) {
				fields.put(field, value(field, s, 0));
			}
			this.events.add(new Event(subscriber, 0, "SIM/Created", subscriber.firstEmail, true, time, fields));
			String email = subscriber.firstEmail;
			for (int j = 1; j <= updates; j++) {
				time = time.plusSeconds(1 + this.random.nextInt(600));
				if (j == changeAt) {
					email = newEmail;
				}
				List<String> chosen = new ArrayList<>(UPDATABLE);
				Collections.shuffle(chosen, this.random);
				Map<String, Object> some = new LinkedHashMap<>();
				for (String field : chosen.subList(0, 1 + this.random.nextInt(4))) {
					some.put(field, value(field, s, j));
				}
				// Only a subscriber whose email never changes may send one without its
				// account.
				boolean account = changeAt > 0 || this.random.nextDouble() >= 0.3;
				if (!account && this.random.nextBoolean()) {
					some.clear();
				}
				this.events.add(new Event(subscriber, j, "SIM/Updated", email, account, time, some));
			}
			subscriber.changeAt = changeAt;
		}
		return this;
	}

	/** Puts the contacts the runs' email changes will meet into HubSpot. */
	void seed(HubSpotStandIn standIn) {
		for (Subscriber subscriber : this.subscribers) {
			if (subscriber.takenEmail != null) {
				standIn.putContact(Map.of("email", subscriber.takenEmail, "firstname", "Someone", "lastname", "Else"));
			}
		}
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
			default -> throw new IllegalArgumentException(field);
		};
	}

	/**
	 * The deliveries in NSPS's order: subscribers interleaved, about a fifth moved a few
	 * places later, about a tenth twice, and the events before an email change replayed
	 * at the end.
	 */
	List<Event> deliveries() {
		Map<Integer, List<Event>> bySubscriber = new TreeMap<>();
		this.events.forEach(
				(event) -> bySubscriber.computeIfAbsent(event.subscriber.number, (s) -> new ArrayList<>()).add(event));
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
		for (Event event : this.events) {
			if (event.subscriber.changeAt > 0 && event.version < event.subscriber.changeAt) {
				order.add(event);
			}
		}
		return order;
	}

	/**
	 * Delivers everything as NSPS would until each event is acknowledged, to replicas
	 * behind one service: each delivery goes to the next replica in turn.
	 * @param http the client to post with
	 * @param replicas the event URL of each replica
	 * @param apiToken the connector's token
	 * @param senders concurrent deliveries
	 * @param bound the longest the run may take
	 * @return what happened
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
	 * The invariant: for every subscriber and property, the contact that holds its newest
	 * acknowledged email holds the newest acknowledged value of each property; no second
	 * contact was made for the subscriber.
	 * @return one line per violation
	 */
	List<String> violations(HubSpotStandIn standIn, Set<String> acknowledged) {
		List<String> violations = new ArrayList<>();
		Map<Integer, List<Event>> bySubscriber = new TreeMap<>();
		this.events.stream()
			.filter((event) -> acknowledged.contains(event.id()))
			.forEach((event) -> bySubscriber.computeIfAbsent(event.subscriber.number, (s) -> new ArrayList<>())
				.add(event));
		List<HubSpotStandIn.StoredContact> contacts = standIn.contacts();
		for (List<Event> events : bySubscriber.values()) {
			Subscriber subscriber = events.get(0).subscriber;
			Map<String, Event> newest = new TreeMap<>();
			for (Event event : events) {
				for (String property : event.properties().keySet()) {
					Event known = newest.get(property);
					if (known == null || event.time.isAfter(known.time)) {
						newest.put(property, event);
					}
				}
			}
			String email = newest.get("email").email;
			String at = "seed " + this.seed + ", subscriber " + subscriber.account;
			Map<String, String> held = standIn.contact(email).orElse(null);
			if (held == null) {
				violations.add(at + ": no contact holds " + email);
				continue;
			}
			newest.forEach((property, event) -> {
				if (subscriber.takenEmail != null && event.version < subscriber.changeAt) {
					// The contact that held the new email has the subscriber's data
					// since.
					return;
				}
				String expected = event.properties().get(property);
				String actual = held.get(property);
				if (!expected.equalsIgnoreCase(String.valueOf(actual))) {
					violations
						.add(at + ", " + property + ": HubSpot holds " + actual + ", the newest acknowledged event "
								+ event.id() + " (" + event.time + ") carried " + expected);
				}
			});
			long made = contacts.stream()
				.filter((contact) -> !contact.seeded() && subscriber.emails(this.events)
					.contains(contact.properties().getOrDefault("email", "").toLowerCase(Locale.ROOT)))
				.count();
			if (made > 1) {
				violations.add(at + ": " + made + " contacts made for one subscriber");
			}
			if (System.getProperty("invariant.debug") != null
					&& violations.stream().anyMatch((v) -> v.startsWith(at))) {
				StringBuilder out = new StringBuilder(
						"DEBUG " + at + " changeAt=" + subscriber.changeAt + " taken=" + subscriber.takenEmail + "\n");
				this.events.stream()
					.filter((e) -> e.subscriber == subscriber)
					.forEach((e) -> out.append("  event ")
						.append(e.id())
						.append(" v")
						.append(e.version)
						.append(' ')
						.append(e.time)
						.append(' ')
						.append(e.email)
						.append(" acct=")
						.append(e.withAccount)
						.append(' ')
						.append(e.properties())
						.append(acknowledged.contains(e.id()) ? " ACK" : " -")
						.append('\n'));
				Set<String> emails = subscriber.emails(this.events);
				Set<String> ids = new HashSet<>();
				contacts.stream()
					.filter((c) -> emails.contains(c.properties().getOrDefault("email", "").toLowerCase(Locale.ROOT)))
					.forEach((c) -> {
						ids.add(c.id());
						out.append("  contact ").append(c.id()).append(' ').append(c.properties()).append('\n');
					});
				for (RecordedRequest request : standIn.requests()) {
					String body = request.body().toLowerCase(Locale.ROOT);
					boolean mine = emails.stream().anyMatch(body::contains)
							|| ids.stream().anyMatch((id) -> body.contains("\"id\":\"" + id + "\""));
					if (mine) {
						out.append("  request ")
							.append(request.arrivalNanos() / 1_000_000)
							.append(' ')
							.append(request.path())
							.append(' ')
							.append(request.body(), 0, Math.min(request.body().length(), 1500))
							.append('\n');
					}
				}
				System.out.println(out);
			}
		}
		return violations;
	}

	/** Batch requests that carried one contact twice (by email or record id). */
	static List<String> contactsTwiceInOneRequest(List<RecordedRequest> requests) {
		List<String> twice = new ArrayList<>();
		for (RecordedRequest request : requests) {
			if (!request.path().endsWith("/batch/upsert") && !request.path().endsWith("/batch/update")) {
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

	int emailChanges() {
		return (int) this.subscribers.stream().filter((subscriber) -> subscriber.changeAt > 0).count();
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
	 * acknowledged value, or subscriber with a second contact
	 * @param neverAcknowledged one line per seed with events NSPS never saw acknowledged
	 */
	record Checked(List<String> violations, List<String> neverAcknowledged, Map<Integer, Integer> statuses, int events,
			int deliveries, int redeliveries, int emailChanges) {

		static Checked of(HubSpotStandIn standIn, List<SeedRun> runs) {
			List<String> violations = new ArrayList<>();
			List<String> neverAcknowledged = new ArrayList<>();
			Map<Integer, Integer> statuses = new TreeMap<>();
			int events = 0;
			int deliveries = 0;
			int redeliveries = 0;
			int emailChanges = 0;
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
				emailChanges += run.invariant().emailChanges();
			}
			return new Checked(violations, neverAcknowledged, statuses, events, deliveries, redeliveries, emailChanges);
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

	/** One subscriber: its account, its first email, and its email change if any. */
	private static final class Subscriber {

		private final int number;

		private final long account;

		private final String firstEmail;

		private String takenEmail;

		private int changeAt = -1;

		Subscriber(int number, long account, String firstEmail) {
			this.number = number;
			this.account = account;
			this.firstEmail = firstEmail;
		}

		/** Every email the subscriber's events carry, in lower case. */
		Set<String> emails(List<Event> events) {
			Set<String> emails = new HashSet<>();
			events.stream()
				.filter((event) -> event.subscriber == this)
				.forEach((event) -> emails.add(event.email.toLowerCase(Locale.ROOT)));
			return emails;
		}

	}

	/** One generated event. */
	final class Event {

		private final Subscriber subscriber;

		private final int version;

		private final String type;

		private final String email;

		private final boolean withAccount;

		private final LocalDateTime time;

		private final Map<String, Object> fields;

		private final String json;

		Event(Subscriber subscriber, int version, String type, String email, boolean withAccount, LocalDateTime time,
				Map<String, Object> fields) {
			this.subscriber = subscriber;
			this.version = version;
			this.type = type;
			this.email = email;
			this.withAccount = withAccount;
			this.time = time;
			this.fields = fields;
			this.json = toJson();
		}

		String id() {
			return "inv-" + OrderingInvariant.this.run + "-" + OrderingInvariant.this.seed + "-"
					+ this.subscriber.number + "-" + this.version;
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
			if (this.withAccount) {
				account.put("i_account", this.subscriber.account);
			}
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
			properties.put("email", this.email);
			if (this.withAccount) {
				properties.put("account_id", Long.toString(this.subscriber.account));
			}
			this.fields.forEach((field, value) -> {
				switch (field) {
					case "phone1" -> properties.put("phone", (String) value);
					case "billing_model" ->
						properties.put("type", ((String) value).toUpperCase(Locale.ROOT).replace('_', ' '));
					case "assigned_addons" -> properties.put("has_add_ons", value.toString());
					case "i_sim_card" -> properties.put("sim_card_id", value.toString());
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
