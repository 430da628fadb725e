package com.portaone.nsps.hubspot.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Local stand-in for HubSpot's CRM v3 contacts API, as its OpenAPI file and docs describe
 * it: contacts with record ids, found by email or id; batch upsert by email (results
 * carry the record {@code id}; an upsert cannot change the email it is keyed by); batch
 * update by record id (a taken email is refused 409 CONFLICT, as PATCH refuses it);
 * contact properties; HubSpot's error bodies and its ten-secondly rolling rate limit.
 * Plus latency and fault injection (a write applied after the client gave up on it
 * included) and request statistics for tests and benchmarks. Listens on 127.0.0.1 only.
 */
public final class HubSpotStandIn implements AutoCloseable {

	/** Token accepted unless another one is given to {@link #start(int, String)}. */
	public static final String DEFAULT_ACCESS_TOKEN = "standin-token";

	/** Requests per rolling ten seconds unless changed by {@link #setLimitPer10s}. */
	public static final int DEFAULT_LIMIT_PER_10S = 100;

	/** Requests a day the account allows unless changed by {@link #setDailyLimit}. */
	public static final long DEFAULT_DAILY_LIMIT = 250_000;

	/** Most inputs HubSpot accepts in one batch call. */
	public static final int MAX_BATCH_INPUTS = 100;

	static final String CONTACTS_PATH = "/crm/v3/objects/contacts";

	static final String BATCH_UPSERT_PATH = CONTACTS_PATH + "/batch/upsert";

	static final String BATCH_UPDATE_PATH = CONTACTS_PATH + "/batch/update";

	static final String BATCH_READ_PATH = CONTACTS_PATH + "/batch/read";

	static final String PROPERTIES_PATH = "/crm/v3/properties/contacts";

	private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final String JSON_TYPE = "application/json;charset=utf-8";

	private static final String UNAUTHENTICATED = "Authentication credentials not found. This API supports OAuth 2.0 "
			+ "authentication and you can find more details at "
			+ "https://developers.hubspot.com/docs/methods/auth/oauth-overview";

	private static final List<ContactProperty> DEFAULT_PROPERTIES = List.of(
			ContactProperty.text("email", "Email", "contactinformation"),
			ContactProperty.text("firstname", "First Name", "contactinformation"),
			ContactProperty.text("lastname", "Last Name", "contactinformation"),
			new ContactProperty("phone", "Phone Number", "string", "phonenumber", "contactinformation"),
			ContactProperty.text("account_id", "Account ID", "nsps"),
			new ContactProperty("has_add_ons", "Has add-ons", "bool", "booleancheckbox", "nsps"),
			ContactProperty.text("sim_card_id", "SIM card ID", "nsps"), ContactProperty.text("imsi", "IMSI", "nsps"),
			ContactProperty.text("type", "Type", "nsps"));

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static {
		// The JDK server writes headers and body separately; with Nagle on, a reused
		// connection waits ~40 ms for the client's delayed ACK on every answer. Read
		// once by the JDK, so it only works if no JDK HttpServer started before.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) {
			System.setProperty("sun.net.httpserver.nodelay", "true");
		}
	}

	private final HttpServer server;

	private final ExecutorService executor;

	private final String accessToken;

	private final AtomicBoolean closed = new AtomicBoolean();

	// Contacts and properties share one lock so that a batch is validated and written
	// all-or-nothing against one consistent view.
	private final Object lock = new Object();

	private final Map<String, Contact> contactsByEmail = new LinkedHashMap<>();

	private final Map<String, Contact> contactsById = new LinkedHashMap<>();

	private final Map<String, ContactProperty> properties = new LinkedHashMap<>();

	private long lastContactId;

	// Arrival times inside the current rolling window, guarded by itself; arrivals are
	// appended under that monitor so the deque stays sorted.
	private final ArrayDeque<Long> window = new ArrayDeque<>();

	private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger rateLimited = new AtomicInteger();

	private final AtomicInteger heldWritesLanded = new AtomicInteger();

	/** Requests received and not yet answered or dropped, held writes included. */
	private final AtomicInteger inProgress = new AtomicInteger();

	/** From arrival to answer, every request that was answered 2xx and so wrote. */
	private final List<WriteInterval> writes = Collections.synchronizedList(new ArrayList<>());

	private final Queue<Fault> queuedFaults = new ConcurrentLinkedQueue<>();

	private final Map<Fault, Double> faultRates = new ConcurrentHashMap<>();

	private volatile int limitPer10s = DEFAULT_LIMIT_PER_10S;

	private volatile long dailyLimit = DEFAULT_DAILY_LIMIT;

	private volatile Duration hangDuration = Duration.ofSeconds(30);

	private volatile Latency latency = new Latency(Duration.ZERO, 0);

	private HubSpotStandIn(HttpServer server, ExecutorService executor, String accessToken) {
		this.server = server;
		this.executor = executor;
		this.accessToken = accessToken;
		restoreDefaultProperties();
	}

	/**
	 * Start a stand-in accepting {@value #DEFAULT_ACCESS_TOKEN}.
	 * @param port port on 127.0.0.1, or 0 for an ephemeral one
	 * @return the running stand-in
	 */
	public static HubSpotStandIn start(int port) {
		return start(port, DEFAULT_ACCESS_TOKEN);
	}

	/**
	 * Start a stand-in.
	 * @param port port on 127.0.0.1, or 0 for an ephemeral one
	 * @param accessToken the only bearer token accepted
	 * @return the running stand-in
	 */
	public static HubSpotStandIn start(int port, String accessToken) {
		AtomicInteger threads = new AtomicInteger();
		// Cached pool: arrival times stay true under load because no request waits
		// for a free thread, and hanging requests cannot starve the others.
		ExecutorService executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "hubspot-standin-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
			HubSpotStandIn standIn = new HubSpotStandIn(server, executor, accessToken);
			server.createContext("/", standIn::handle);
			server.setExecutor(executor);
			server.start();
			return standIn;
		}
		catch (IOException ex) {
			executor.shutdownNow();
			throw new UncheckedIOException("Cannot start HubSpot stand-in on port " + port, ex);
		}
	}

	/**
	 * Run the stand-in for a local dev run until the process is killed.
	 * @param args optional port (default 8090) and optional access token
	 * @throws InterruptedException never in practice; the process is killed
	 */
	public static void main(String[] args) throws InterruptedException {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 8090;
		HubSpotStandIn standIn = start(port, (args.length > 1) ? args[1] : DEFAULT_ACCESS_TOKEN);
		Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
		System.out.println(standIn.contactsUrl());
		new CountDownLatch(1).await();
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	public String contactsUrl() {
		return baseUrl() + CONTACTS_PATH;
	}

	public String accessToken() {
		return this.accessToken;
	}

	/**
	 * Points a test's connector at this stand-in, from a {@code @DynamicPropertySource}.
	 * @param registry the test's property registry
	 */
	public void registerAsHubSpot(DynamicPropertyRegistry registry) {
		registry.add("connector.hubspot.base-url", this::contactsUrl);
		registry.add("connector.hubspot.access-token", this::accessToken);
	}

	/**
	 * Stop listening, drop open connections and interrupt requests still sleeping
	 * (latency or {@link Fault#HANG}). Safe to call more than once.
	 */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.server.stop(0);
			this.executor.shutdownNow();
		}
	}

	// ---- configuration

	public int limitPer10s() {
		return this.limitPer10s;
	}

	public void setLimitPer10s(int limitPer10s) {
		if (limitPer10s < 1) {
			throw new IllegalArgumentException("limitPer10s must be positive");
		}
		this.limitPer10s = limitPer10s;
	}

	/**
	 * The account's daily limit, reported in {@code X-HubSpot-RateLimit-Daily}; what is
	 * left counts every request since the last {@link #reset()}.
	 * @param dailyLimit requests a day
	 */
	public void setDailyLimit(long dailyLimit) {
		this.dailyLimit = dailyLimit;
	}

	/**
	 * Delay every answer by {@code mean} ± {@code jitterFraction}, uniformly.
	 * @param mean mean delay, {@link Duration#ZERO} disables
	 * @param jitterFraction 0 to 1, e.g. 0.2 for ±20%
	 */
	public void setLatency(Duration mean, double jitterFraction) {
		if (mean.isNegative() || jitterFraction < 0 || jitterFraction > 1) {
			throw new IllegalArgumentException("latency needs mean >= 0 and jitter in [0, 1]");
		}
		this.latency = new Latency(mean, jitterFraction);
	}

	public void setHangDuration(Duration hangDuration) {
		this.hangDuration = hangDuration;
	}

	/**
	 * Queue {@code count} occurrences of {@code fault}; each of the next requests to pass
	 * the rate limit takes one, in arrival order.
	 * @param fault the fault
	 * @param count how many requests it hits
	 */
	public void injectFaults(Fault fault, int count) {
		for (int i = 0; i < count; i++) {
			this.queuedFaults.add(fault);
		}
	}

	/**
	 * Apply {@code fault} to each request with the given probability.
	 * @param fault the fault
	 * @param probability 0 (disables) to 1 (every request)
	 */
	public void setFaultRate(Fault fault, double probability) {
		if (probability < 0 || probability > 1) {
			throw new IllegalArgumentException("probability must be in [0, 1]");
		}
		if (probability == 0) {
			this.faultRates.remove(fault);
		}
		else {
			this.faultRates.put(fault, probability);
		}
	}

	/**
	 * Forget a contact property, to simulate a portal where it was never created.
	 * @param name property name
	 * @return whether it was known
	 */
	public boolean removeProperty(String name) {
		synchronized (this.lock) {
			return this.properties.remove(name) != null;
		}
	}

	/**
	 * Make a contact property known, as a {@code string}/{@code text} property.
	 * @param name property name
	 */
	public void addProperty(String name) {
		synchronized (this.lock) {
			this.properties.putIfAbsent(name, ContactProperty.text(name, name, "contactinformation"));
		}
	}

	public Set<String> knownProperties() {
		synchronized (this.lock) {
			return Set.copyOf(this.properties.keySet());
		}
	}

	/**
	 * Clear contacts, statistics and faults, and restore the default properties. Token,
	 * limit, latency and hang duration stay as configured.
	 */
	public void reset() {
		synchronized (this.window) {
			this.window.clear();
			this.requests.clear();
		}
		this.rateLimited.set(0);
		this.heldWritesLanded.set(0);
		this.writes.clear();
		this.queuedFaults.clear();
		this.faultRates.clear();
		synchronized (this.lock) {
			this.contactsByEmail.clear();
			this.contactsById.clear();
			restoreDefaultProperties();
		}
	}

	private void restoreDefaultProperties() {
		synchronized (this.lock) {
			this.properties.clear();
			DEFAULT_PROPERTIES.forEach((property) -> this.properties.put(property.name(), property));
		}
	}

	// ---- statistics and state

	public int requestCount() {
		return this.requests.size();
	}

	/**
	 * Contacts that one request wrote while another was still writing other values to
	 * them (both written, from arrival to application): each time it happened, by record
	 * id. A retry that carries the same values is not another write.
	 */
	public List<String> concurrentWrites() {
		Map<String, List<WriteInterval>> byEmail = new LinkedHashMap<>();
		synchronized (this.writes) {
			this.writes.forEach((write) -> write.contacts()
				.forEach((email) -> byEmail.computeIfAbsent(email, (key) -> new ArrayList<>()).add(write)));
		}
		List<String> concurrent = new ArrayList<>();
		byEmail.forEach((id, intervals) -> {
			intervals.sort(Comparator.comparingLong(WriteInterval::arrivalNanos));
			for (int i = 0; i < intervals.size(); i++) {
				for (int j = i + 1; j < intervals.size(); j++) {
					WriteInterval first = intervals.get(i);
					WriteInterval second = intervals.get(j);
					if (second.arrivalNanos() - first.answeredNanos() >= 0) {
						continue;
					}
					if (!first.written().get(id).equals(second.written().get(id))) {
						concurrent.add(id + ": " + first.written().get(id) + " while " + second.written().get(id));
					}
				}
			}
		});
		return concurrent;
	}

	/**
	 * One request's writes: for each contact (record id) the properties it was given, so
	 * that a retry carrying the same values is not taken for another write.
	 */
	private record WriteInterval(Map<String, Map<String, String>> written, long arrivalNanos, long answeredNanos) {

		Set<String> contacts() {
			return this.written.keySet();
		}

	}

	/**
	 * Number of 429 answers caused by the rolling limit (not by injected faults).
	 * @return the count
	 */
	public int rateLimitedCount() {
		return this.rateLimited.get();
	}

	/**
	 * Waits until no request is in progress: every write the client gave up on has landed
	 * or failed, so that what the stand-in holds is final for what was sent so far.
	 * @param bound the longest wait
	 */
	public void awaitIdle(Duration bound) {
		Awaitility.await("no request in progress at the HubSpot stand-in")
			.atMost(bound)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.inProgress.get() == 0);
	}

	/** {@link Fault#LATE_WRITE}s applied since the last reset. */
	public int heldWritesLanded() {
		return this.heldWritesLanded.get();
	}

	/**
	 * Most requests that arrived within any span shorter than {@code window}.
	 * @param window span length, e.g. ten seconds to compare with HubSpot's limit
	 * @return the highest count
	 */
	public int maxRequestsInAnyWindow(Duration window) {
		long span = window.toNanos();
		long[] arrivals = requests().stream().mapToLong(RecordedRequest::arrivalNanos).sorted().toArray();
		int best = 0;
		int first = 0;
		for (int last = 0; last < arrivals.length; last++) {
			while (arrivals[last] - arrivals[first] >= span) {
				first++;
			}
			best = Math.max(best, last - first + 1);
		}
		return best;
	}

	public List<RecordedRequest> requests() {
		synchronized (this.requests) {
			return List.copyOf(this.requests);
		}
	}

	/**
	 * Properties of a stored contact.
	 * @param email email, any case
	 * @return its properties, if the contact exists
	 */
	public Optional<Map<String, String>> contact(String email) {
		synchronized (this.lock) {
			return Optional.ofNullable(this.contactsByEmail.get(key(email))).map(Contact::properties);
		}
	}

	public int contactCount() {
		synchronized (this.lock) {
			return this.contactsByEmail.size();
		}
	}

	/**
	 * Every stored contact.
	 * @return by record id, each with its properties and whether a test put it there
	 */
	public List<StoredContact> contacts() {
		synchronized (this.lock) {
			return this.contactsById.values()
				.stream()
				.map((contact) -> new StoredContact(contact.id(), contact.properties(), contact.seeded()))
				.toList();
		}
	}

	/**
	 * Stores a contact as if someone had created it in HubSpot by hand, for a connector's
	 * email change to meet.
	 * @param properties its properties, the email among them
	 * @return its record id
	 */
	public String putContact(Map<String, String> properties) {
		synchronized (this.lock) {
			String email = properties.getOrDefault("email", "");
			if (!EMAIL.matcher(email).matches() || this.contactsByEmail.containsKey(key(email))) {
				throw new IllegalArgumentException("Needs a new, valid email: " + email);
			}
			Contact contact = new Contact(String.valueOf(++this.lastContactId), Map.copyOf(properties), now(), now(),
					true);
			store(contact);
			return contact.id();
		}
	}

	/**
	 * Deletes a contact as a HubSpot user would.
	 * @param email its email, any case
	 * @return whether there was one
	 */
	public boolean deleteContact(String email) {
		synchronized (this.lock) {
			Contact contact = this.contactsByEmail.remove(key(email));
			if (contact != null) {
				this.contactsById.remove(contact.id());
			}
			return contact != null;
		}
	}

	/**
	 * A stored contact.
	 *
	 * @param id its record id
	 * @param properties its properties
	 * @param seeded whether a test put it there rather than a request
	 */
	public record StoredContact(String id, Map<String, String> properties, boolean seeded) {

	}

	// ---- HTTP handling

	private void handle(HttpExchange exchange) throws IOException {
		boolean answered = false;
		this.inProgress.incrementAndGet();
		try {
			answered = serve(exchange);
		}
		catch (InterruptedException ex) {
			// close() is stopping us: leave without an answer
			Thread.currentThread().interrupt();
		}
		finally {
			this.inProgress.decrementAndGet();
			if (answered) {
				exchange.close();
			}
		}
		if (!answered) {
			// The JDK server closes the connection when a handler throws, which is
			// exactly the abrupt drop we want.
			throw new IOException("HubSpot stand-in dropped the connection on purpose");
		}
	}

	/** Answer one exchange; false means the connection must be dropped. */
	private boolean serve(HttpExchange exchange) throws IOException, InterruptedException {
		String method = exchange.getRequestMethod();
		URI uri = exchange.getRequestURI();
		long arrival;
		int inWindow;
		synchronized (this.window) {
			arrival = System.nanoTime();
			this.window.addLast(arrival);
			while (arrival - this.window.getFirst() >= WINDOW_NANOS) {
				this.window.removeFirst();
			}
			// A request over the limit still counts, as at HubSpot.
			inWindow = this.window.size();
		}
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		this.requests.add(new RecordedRequest(method, uri.getPath(), uri.getRawQuery(), body, arrival));
		return serve(exchange, method, uri, body, inWindow, arrival);
	}

	private boolean serve(HttpExchange exchange, String method, URI uri, String body, int inWindow, long arrival)
			throws IOException, InterruptedException {
		int limit = this.limitPer10s;
		exchange.getResponseHeaders().set("X-HubSpot-RateLimit-Max", String.valueOf(limit));
		exchange.getResponseHeaders()
			.set("X-HubSpot-RateLimit-Remaining", String.valueOf(Math.max(0, limit - inWindow)));
		exchange.getResponseHeaders().set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
		long daily = this.dailyLimit;
		exchange.getResponseHeaders().set("X-HubSpot-RateLimit-Daily", String.valueOf(daily));
		exchange.getResponseHeaders()
			.set("X-HubSpot-RateLimit-Daily-Remaining", String.valueOf(Math.max(0, daily - this.requests.size())));
		this.latency.pause();
		if (inWindow > limit) {
			this.rateLimited.incrementAndGet();
			return send(exchange, 429,
					rateLimitError("You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING"));
		}
		Fault fault = nextFault();
		boolean batchUpsert = method.equals("POST") && uri.getPath().equals(BATCH_UPSERT_PATH);
		if (fault == Fault.LATE_WRITE) {
			// The client gives up meanwhile; the write lands all the same.
			TimeUnit.NANOSECONDS.sleep(this.hangDuration.toNanos());
			this.heldWritesLanded.incrementAndGet();
			fault = null;
		}
		if (fault != null && !fault.isBatchAnswerFault()) {
			return answerWithFault(exchange, fault);
		}
		if (!("Bearer " + this.accessToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
			return send(exchange, 401, error(UNAUTHENTICATED, "INVALID_AUTHENTICATION"));
		}
		Answer answer = (batchUpsert && fault != null) ? answerFaulty(fault, body) : answer(method, uri, body);
		if (!answer.written().isEmpty()) {
			this.writes.add(new WriteInterval(answer.written(), arrival, System.nanoTime()));
		}
		try {
			return send(exchange, answer.status(), answer.body());
		}
		catch (IOException ex) {
			// The client gave up on the answer; what was written stays written.
			return false;
		}
	}

	private @Nullable Fault nextFault() {
		Fault queued = this.queuedFaults.poll();
		if (queued != null) {
			return queued;
		}
		for (Map.Entry<Fault, Double> rate : this.faultRates.entrySet()) {
			if (ThreadLocalRandom.current().nextDouble() < rate.getValue()) {
				return rate.getKey();
			}
		}
		return null;
	}

	private boolean answerWithFault(HttpExchange exchange, Fault fault) throws IOException, InterruptedException {
		return switch (fault) {
			case SERVER_ERROR_500 -> send(exchange, 500, error("internal error", "INTERNAL_ERROR"));
			case BAD_GATEWAY_502 -> send(exchange, 502, error("Bad Gateway", "BAD_GATEWAY"));
			case UNAVAILABLE_503 -> send(exchange, 503, error("Service Unavailable", "SERVICE_UNAVAILABLE"));
			case LOCKED_423 -> send(exchange, 423, error("Resource is locked, retry later", "LOCKED"));
			case TEN_SECONDLY_429 -> send(exchange, 429,
					rateLimitError("You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING"));
			case TEN_SECONDLY_429_RETRY_AFTER -> {
				exchange.getResponseHeaders().set("Retry-After", "1");
				yield send(exchange, 429,
						rateLimitError("You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING"));
			}
			case PARTIAL_207, OMITTED_RESULT -> throw new IllegalStateException(fault + " answers a batch itself");
			case DAILY_429 -> send(exchange, 429, rateLimitError("You have reached your daily limit.", "DAILY"));
			case UNAUTHORIZED_401 -> send(exchange, 401, error(UNAUTHENTICATED, "INVALID_AUTHENTICATION"));
			case LATE_WRITE -> throw new IllegalStateException("A late write is answered as it lands");
			case HANG -> {
				TimeUnit.NANOSECONDS.sleep(this.hangDuration.toNanos());
				yield send(exchange, 503, error("Service Unavailable", "SERVICE_UNAVAILABLE"));
			}
			case RESET -> false;
			case TRUNCATED_BODY -> {
				byte[] partial = "{\"status\":\"COMPLETE\",\"results\":[{\"id\":\"1".getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
				exchange.sendResponseHeaders(200, partial.length + 512);
				OutputStream out = exchange.getResponseBody();
				out.write(partial);
				out.flush();
				yield false;
			}
			case MALFORMED_JSON -> send(exchange, 502, JSON_TYPE, "{\"status\":\"err");
			case HTML_ERROR_PAGE ->
				send(exchange, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");
		};
	}

	private static boolean send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
		return send(exchange, status, JSON_TYPE, JSON.writeValueAsString(body));
	}

	private static boolean send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (bytes.length > 0) ? bytes.length : -1);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
		return true;
	}

	// ---- API

	private Answer answer(String method, URI uri, String body) {
		String path = uri.getPath();
		try {
			if (path.equals(CONTACTS_PATH)) {
				if (method.equals("GET")) {
					return listContacts();
				}
				if (method.equals("POST")) {
					return createContact(parse(body));
				}
			}
			else if (path.equals(BATCH_UPSERT_PATH)) {
				if (method.equals("POST")) {
					return upsertContacts(parse(body));
				}
			}
			else if (path.equals(BATCH_UPDATE_PATH)) {
				if (method.equals("POST")) {
					return updateContacts(parse(body));
				}
			}
			else if (path.equals(BATCH_READ_PATH)) {
				if (method.equals("POST")) {
					return readContacts(parse(body));
				}
			}
			else if (path.startsWith(CONTACTS_PATH + "/") && path.indexOf('/', CONTACTS_PATH.length() + 1) < 0) {
				String id = path.substring(CONTACTS_PATH.length() + 1);
				boolean byEmail = "email".equals(queryParameter(uri.getRawQuery(), "idProperty"));
				if (method.equals("PATCH")) {
					return updateContact(id, byEmail, parse(body));
				}
				if (method.equals("GET")) {
					return readContact(id, byEmail);
				}
			}
			else if (path.equals(PROPERTIES_PATH)) {
				if (method.equals("GET")) {
					return listProperties();
				}
				if (method.equals("POST")) {
					return createProperty(parse(body));
				}
			}
			else if (path.startsWith(PROPERTIES_PATH + "/") && method.equals("GET")) {
				return readProperty(path.substring(PROPERTIES_PATH.length() + 1));
			}
			return notFound();
		}
		catch (InvalidInput ex) {
			return new Answer(400, error(ex.getMessage(), "VALIDATION_ERROR"));
		}
		catch (RuntimeException ex) {
			return new Answer(500, error("internal error: " + ex, "INTERNAL_ERROR"));
		}
	}

	private Answer listContacts() {
		ArrayNode results = JSON.createArrayNode();
		synchronized (this.lock) {
			this.contactsByEmail.values().forEach((contact) -> results.add(contact.toJson()));
		}
		ObjectNode answer = JSON.createObjectNode();
		answer.set("results", results);
		return new Answer(200, answer);
	}

	private Answer readContact(String id, boolean byEmail) {
		synchronized (this.lock) {
			Contact contact = find(id, byEmail);
			return (contact != null) ? new Answer(200, contact.toJson()) : notFound();
		}
	}

	private Answer createContact(JsonNode request) {
		JsonNode values = propertiesOf(request);
		synchronized (this.lock) {
			String email = stringOrEmpty(values.get("email"));
			List<ObjectNode> invalid = new ArrayList<>();
			if (!EMAIL.matcher(email).matches()) {
				invalid.add(invalidEmail(email));
			}
			invalid.addAll(invalidProperties(values));
			if (!invalid.isEmpty()) {
				return propertyValidationError(invalid);
			}
			Contact existing = this.contactsByEmail.get(key(email));
			if (existing != null) {
				return new Answer(409, error("Contact already exists. Existing ID: " + existing.id(), "CONFLICT"));
			}
			Contact created = newContact(toMap(values));
			store(created);
			return new Answer(201, created.toJson(), Map.of(created.id(), toMap(values)));
		}
	}

	private Answer updateContact(String id, boolean byEmail, JsonNode request) {
		JsonNode values = propertiesOf(request);
		synchronized (this.lock) {
			Contact existing = find(id, byEmail);
			if (existing == null) {
				return notFound();
			}
			List<ObjectNode> invalid = new ArrayList<>();
			JsonNode newEmail = values.get("email");
			if (newEmail != null && !EMAIL.matcher(stringOrEmpty(newEmail)).matches()) {
				invalid.add(invalidEmail(stringOrEmpty(newEmail)));
			}
			invalid.addAll(invalidProperties(values));
			if (!invalid.isEmpty()) {
				return propertyValidationError(invalid);
			}
			Contact other = holderOfOtherEmail(existing, values);
			if (other != null) {
				return new Answer(409, error("Contact already exists. Existing ID: " + other.id(), "CONFLICT"));
			}
			Contact updated = existing.merge(toMap(values));
			store(updated);
			return new Answer(200, updated.toJson(), Map.of(updated.id(), toMap(values)));
		}
	}

	/** A batch upsert answered with a batch-level fault, or normally if it cannot be. */
	private Answer answerFaulty(Fault fault, String body) {
		try {
			return upsertContacts(parse(body), fault);
		}
		catch (InvalidInput ex) {
			return new Answer(400, error(ex.getMessage(), "VALIDATION_ERROR"));
		}
	}

	private Answer upsertContacts(JsonNode request) {
		return upsertContacts(request, null);
	}

	/**
	 * @param fault {@link Fault#PARTIAL_207}: one input, at random, is refused in a 207
	 * and not written; {@link Fault#OMITTED_RESULT}: one input, at random, is left out of
	 * the results, written or not at random
	 */
	private Answer upsertContacts(JsonNode request, @Nullable Fault fault) {
		String startedAt = now();
		JsonNode inputs = request.path("inputs");
		if (!inputs.isArray()) {
			throw new InvalidInput("Invalid input JSON: field \"inputs\" must be an array");
		}
		if (inputs.size() > MAX_BATCH_INPUTS) {
			throw new InvalidInput("Batch input limit exceeded: " + inputs.size() + " inputs, at most "
					+ MAX_BATCH_INPUTS + " allowed");
		}
		Set<String> seen = new HashSet<>();
		Set<String> duplicates = new LinkedHashSet<>();
		for (int index = 0; index < inputs.size(); index++) {
			String id = stringOrEmpty(inputs.get(index).get("id"));
			if (!seen.add(key(id))) {
				duplicates.add(id);
			}
			String idProperty = stringOrEmpty(inputs.get(index).get("idProperty"));
			if (!idProperty.equals("email")) {
				throw new InvalidInput("The stand-in only upserts by idProperty \"email\", input " + index + " has \""
						+ idProperty + "\"");
			}
		}
		if (!duplicates.isEmpty()) {
			throw new InvalidInput("Duplicate IDs found in batch input: " + duplicates);
		}
		synchronized (this.lock) {
			// Validate every input before writing any, as HubSpot rejects the whole
			// batch.
			List<ObjectNode> invalid = new ArrayList<>();
			for (int index = 0; index < inputs.size(); index++) {
				JsonNode input = inputs.get(index);
				String id = stringOrEmpty(input.get("id"));
				List<ObjectNode> invalidHere = new ArrayList<>();
				if (!EMAIL.matcher(id).matches()) {
					invalidHere.add(invalidEmail(id));
				}
				JsonNode values = propertiesOf(input);
				invalidHere.addAll(invalidProperties(values));
				String email = stringOrEmpty(values.get("email"));
				if (!email.isEmpty() && !key(email).equals(key(id))) {
					// Keeps contacts keyed by their email property.
					invalidHere.add(invalidProperty("email", "Property \"email\" must match the input id " + id,
							"INVALID_EMAIL"));
				}
				for (ObjectNode entry : invalidHere) {
					// Extra fields so the message names the offending input.
					entry.put("inputIndex", index);
					entry.put("id", id);
				}
				invalid.addAll(invalidHere);
			}
			if (!invalid.isEmpty()) {
				return propertyValidationError(invalid);
			}
			ArrayNode results = JSON.createArrayNode();
			ArrayNode errors = JSON.createArrayNode();
			Map<String, Map<String, String>> writtenIds = new LinkedHashMap<>();
			int victim = (fault != null && !inputs.isEmpty()) ? ThreadLocalRandom.current().nextInt(inputs.size()) : -1;
			boolean victimWritten = ThreadLocalRandom.current().nextBoolean();
			for (int index = 0; index < inputs.size(); index++) {
				JsonNode input = inputs.get(index);
				if (index == victim && fault == Fault.PARTIAL_207) {
					ObjectNode failed = error("Property values were not valid (injected)", "VALIDATION_ERROR");
					failed.putObject("context")
						.putArray("objectWriteTraceId")
						.add(input.path("objectWriteTraceId").asString(""));
					failed.putArray("errors");
					failed.putObject("links");
					errors.add(failed);
					continue;
				}
				if (index == victim && fault == Fault.OMITTED_RESULT && !victimWritten) {
					continue;
				}
				String id = stringOrEmpty(input.get("id"));
				Map<String, String> values = toMap(propertiesOf(input));
				Contact existing = this.contactsByEmail.get(key(id));
				Contact written;
				if (existing == null) {
					values.putIfAbsent("email", id);
					written = newContact(values);
				}
				else {
					written = existing.merge(values);
				}
				store(written);
				writtenIds.put(written.id(), values);
				ObjectNode result = written.toJson().put("new", existing == null);
				if (input.path("objectWriteTraceId").isString()) {
					result.put("objectWriteTraceId", input.path("objectWriteTraceId").stringValue());
				}
				if (index != victim) {
					results.add(result);
				}
			}
			ObjectNode answer = JSON.createObjectNode();
			answer.put("status", "COMPLETE");
			answer.set("results", results);
			if (!errors.isEmpty()) {
				answer.put("numErrors", errors.size());
				answer.set("errors", errors);
			}
			answer.put("startedAt", startedAt);
			answer.put("completedAt", now());
			return new Answer(errors.isEmpty() ? 200 : 207, answer, writtenIds);
		}
	}

	/**
	 * {@code POST .../batch/update}: each input by record id (or by a unique property
	 * with {@code idProperty}). Validated all together like an upsert; an unknown id, or
	 * an email another contact holds, is refused on its own in a 207.
	 */
	private Answer updateContacts(JsonNode request) {
		String startedAt = now();
		JsonNode inputs = request.path("inputs");
		if (!inputs.isArray()) {
			throw new InvalidInput("Invalid input JSON: field \"inputs\" must be an array");
		}
		if (inputs.size() > MAX_BATCH_INPUTS) {
			throw new InvalidInput("Batch input limit exceeded: " + inputs.size() + " inputs, at most "
					+ MAX_BATCH_INPUTS + " allowed");
		}
		synchronized (this.lock) {
			List<ObjectNode> invalid = new ArrayList<>();
			for (int index = 0; index < inputs.size(); index++) {
				JsonNode values = propertiesOf(inputs.get(index));
				List<ObjectNode> invalidHere = new ArrayList<>(invalidProperties(values));
				JsonNode email = values.get("email");
				if (email != null && !EMAIL.matcher(stringOrEmpty(email)).matches()) {
					invalidHere.add(invalidEmail(stringOrEmpty(email)));
				}
				for (ObjectNode entry : invalidHere) {
					entry.put("inputIndex", index);
					entry.put("id", stringOrEmpty(inputs.get(index).get("id")));
				}
				invalid.addAll(invalidHere);
			}
			if (!invalid.isEmpty()) {
				return propertyValidationError(invalid);
			}
			ArrayNode results = JSON.createArrayNode();
			ArrayNode errors = JSON.createArrayNode();
			Map<String, Map<String, String>> writtenIds = new LinkedHashMap<>();
			for (JsonNode input : inputs) {
				String id = stringOrEmpty(input.get("id"));
				JsonNode values = propertiesOf(input);
				Contact existing = find(id, "email".equals(stringOrEmpty(input.get("idProperty"))));
				if (existing == null) {
					errors.add(inputError(input, "Object not found. objectId: " + id, "OBJECT_NOT_FOUND"));
					continue;
				}
				Contact other = holderOfOtherEmail(existing, values);
				if (other != null) {
					errors.add(inputError(input, "Contact already exists. Existing ID: " + other.id(), "CONFLICT"));
					continue;
				}
				Contact updated = existing.merge(toMap(values));
				store(updated);
				writtenIds.put(updated.id(), toMap(values));
				ObjectNode result = updated.toJson();
				if (input.path("objectWriteTraceId").isString()) {
					result.put("objectWriteTraceId", input.path("objectWriteTraceId").stringValue());
				}
				results.add(result);
			}
			ObjectNode answer = JSON.createObjectNode();
			answer.put("status", "COMPLETE");
			answer.set("results", results);
			if (!errors.isEmpty()) {
				answer.put("numErrors", errors.size());
				answer.set("errors", errors);
			}
			answer.put("startedAt", startedAt);
			answer.put("completedAt", now());
			return new Answer(errors.isEmpty() ? 200 : 207, answer, writtenIds);
		}
	}

	/**
	 * {@code POST .../batch/read}: contacts by record id, or by a unique property with
	 * {@code idProperty}; those it does not have are 207 errors.
	 */
	private Answer readContacts(JsonNode request) {
		String startedAt = now();
		boolean byEmail = "email".equals(stringOrEmpty(request.get("idProperty")));
		ArrayNode results = JSON.createArrayNode();
		ArrayNode errors = JSON.createArrayNode();
		synchronized (this.lock) {
			for (JsonNode input : request.path("inputs")) {
				Contact contact = find(stringOrEmpty(input.get("id")), byEmail);
				if (contact != null) {
					results.add(contact.toJson());
				}
				else {
					errors.add(inputError(input, "Object not found. objectId: " + stringOrEmpty(input.get("id")),
							"OBJECT_NOT_FOUND"));
				}
			}
		}
		ObjectNode answer = JSON.createObjectNode();
		answer.put("status", "COMPLETE");
		answer.set("results", results);
		if (!errors.isEmpty()) {
			answer.put("numErrors", errors.size());
			answer.set("errors", errors);
		}
		answer.put("startedAt", startedAt);
		answer.put("completedAt", now());
		return new Answer(errors.isEmpty() ? 200 : 207, answer);
	}

	/** An entry of a 207's errors about one input, by its id and trace id. */
	private static ObjectNode inputError(JsonNode input, String message, String category) {
		ObjectNode entry = error(message, category);
		entry.remove("correlationId");
		ObjectNode context = entry.putObject("context");
		context.putArray("id").add(stringOrEmpty(input.get("id")));
		if (input.path("objectWriteTraceId").isString()) {
			context.putArray("objectWriteTraceId").add(input.path("objectWriteTraceId").stringValue());
		}
		entry.putArray("errors");
		entry.putObject("links");
		return entry;
	}

	/**
	 * The other contact that holds the email an update would give {@code contact}, if one
	 * does. Called holding the lock.
	 */
	private @Nullable Contact holderOfOtherEmail(Contact contact, JsonNode values) {
		JsonNode email = values.get("email");
		if (email == null || key(stringOrEmpty(email)).equals(key(contact.email()))) {
			return null;
		}
		return this.contactsByEmail.get(key(stringOrEmpty(email)));
	}

	/**
	 * Stores a contact under its id and its email, which may have changed. Called holding
	 * the lock.
	 */
	private void store(Contact contact) {
		Contact previous = this.contactsById.put(contact.id(), contact);
		if (previous != null && !key(previous.email()).equals(key(contact.email()))) {
			this.contactsByEmail.remove(key(previous.email()));
		}
		this.contactsByEmail.put(key(contact.email()), contact);
	}

	private Answer listProperties() {
		ArrayNode results = JSON.createArrayNode();
		synchronized (this.lock) {
			this.properties.values().forEach((property) -> results.add(property.toJson()));
		}
		ObjectNode answer = JSON.createObjectNode();
		answer.set("results", results);
		return new Answer(200, answer);
	}

	private Answer readProperty(String name) {
		synchronized (this.lock) {
			ContactProperty property = this.properties.get(name);
			if (property == null) {
				return new Answer(404, error("Unable to find property " + name, "OBJECT_NOT_FOUND"));
			}
			return new Answer(200, property.toJson());
		}
	}

	private Answer createProperty(JsonNode request) {
		String name = stringOrEmpty(request.get("name"));
		if (name.isBlank()) {
			throw new InvalidInput("Property \"name\" is required");
		}
		ContactProperty property = new ContactProperty(name, orDefault(request.get("label"), name),
				orDefault(request.get("type"), "string"), orDefault(request.get("fieldType"), "text"),
				orDefault(request.get("groupName"), "contactinformation"));
		synchronized (this.lock) {
			if (this.properties.containsKey(name)) {
				return new Answer(409, error("Property named '" + name + "' already exists.", "OBJECT_ALREADY_EXISTS"));
			}
			this.properties.put(name, property);
		}
		return new Answer(201, property.toJson());
	}

	// ---- helpers, those reading contacts or properties are called holding the lock

	private @Nullable Contact find(String id, boolean byEmail) {
		return byEmail ? this.contactsByEmail.get(key(id)) : this.contactsById.get(id);
	}

	private Contact newContact(Map<String, String> values) {
		String now = now();
		return new Contact(String.valueOf(++this.lastContactId), Collections.unmodifiableMap(values), now, now, false);
	}

	/** Entries for unknown properties and non-string values, HubSpot's shape. */
	private List<ObjectNode> invalidProperties(JsonNode values) {
		List<ObjectNode> invalid = new ArrayList<>();
		for (Map.Entry<String, JsonNode> value : values.properties()) {
			String name = value.getKey();
			if (!this.properties.containsKey(name)) {
				invalid.add(invalidProperty(name, "Property \"" + name + "\" does not exist", "PROPERTY_DOESNT_EXIST"));
			}
			else if (!value.getValue().isString()) {
				invalid.add(invalidProperty(name,
						"Property \"" + name + "\" must be a string, was "
								+ value.getValue().getNodeType().name().toLowerCase(Locale.ROOT),
						"INVALID_PROPERTY_VALUE"));
			}
		}
		return invalid;
	}

	private static ObjectNode invalidProperty(String name, String message, String error) {
		ObjectNode entry = JSON.createObjectNode();
		entry.put("isValid", false);
		entry.put("message", message);
		entry.put("error", error);
		entry.put("name", name);
		entry.put("localizedErrorMessage", message);
		return entry;
	}

	private static ObjectNode invalidEmail(String email) {
		ObjectNode entry = JSON.createObjectNode();
		entry.put("isValid", false);
		entry.put("message", "Email address " + email + " is invalid");
		entry.put("error", "INVALID_EMAIL");
		entry.put("name", "email");
		return entry;
	}

	/** HubSpot puts the entries into the message as a JSON string. */
	private static Answer propertyValidationError(List<ObjectNode> invalid) {
		ArrayNode entries = JSON.createArrayNode();
		invalid.forEach(entries::add);
		String message = "Property values were not valid: " + JSON.writeValueAsString(entries);
		return new Answer(400, error(message, "VALIDATION_ERROR"));
	}

	private static Answer notFound() {
		return new Answer(404, error("resource not found", "OBJECT_NOT_FOUND"));
	}

	private static ObjectNode error(String message, String category) {
		ObjectNode body = JSON.createObjectNode();
		body.put("status", "error");
		body.put("message", message);
		body.put("correlationId", UUID.randomUUID().toString());
		body.put("category", category);
		return body;
	}

	private static ObjectNode rateLimitError(String message, String policyName) {
		ObjectNode body = JSON.createObjectNode();
		body.put("status", "error");
		body.put("message", message);
		body.put("errorType", "RATE_LIMIT");
		body.put("correlationId", UUID.randomUUID().toString());
		body.put("policyName", policyName);
		body.put("groupName", "publicapi:private-app");
		return body;
	}

	private static JsonNode parse(String body) {
		try {
			JsonNode node = JSON.readTree(body);
			if (node == null || !node.isObject()) {
				throw new InvalidInput("Invalid input JSON: expected an object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new InvalidInput("Invalid input JSON: " + ex.getOriginalMessage());
		}
	}

	private static JsonNode propertiesOf(JsonNode request) {
		JsonNode values = request.get("properties");
		if (values == null || values.isNull()) {
			return JSON.createObjectNode();
		}
		if (!values.isObject()) {
			throw new InvalidInput("Invalid input JSON: field \"properties\" must be an object");
		}
		return values;
	}

	/** Only called after {@link #invalidProperties} found every value to be a string. */
	private static Map<String, String> toMap(JsonNode values) {
		Map<String, String> map = new LinkedHashMap<>();
		values.properties().forEach((value) -> map.put(value.getKey(), value.getValue().stringValue()));
		return map;
	}

	private static String stringOrEmpty(@Nullable JsonNode node) {
		return (node != null && node.isString()) ? node.stringValue() : "";
	}

	private static String orDefault(@Nullable JsonNode node, String fallback) {
		String value = stringOrEmpty(node);
		return value.isEmpty() ? fallback : value;
	}

	private static @Nullable String queryParameter(@Nullable String rawQuery, String name) {
		if (rawQuery == null) {
			return null;
		}
		return Arrays.stream(rawQuery.split("&"))
			.map((pair) -> pair.split("=", 2))
			.filter((pair) -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8).equals(name))
			.map((pair) -> (pair.length > 1) ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "")
			.findFirst()
			.orElse(null);
	}

	private static String key(String email) {
		return email.toLowerCase(Locale.ROOT);
	}

	private static String now() {
		return TIMESTAMP.format(Instant.now());
	}

	/** An answer, and the contacts its request wrote: by record id, the values given. */
	private record Answer(int status, ObjectNode body, Map<String, Map<String, String>> written) {

		Answer(int status, ObjectNode body) {
			this(status, body, Map.of());
		}

	}

	/** Bad request input, answered as 400 VALIDATION_ERROR. */
	private static final class InvalidInput extends RuntimeException {

		InvalidInput(String message) {
			super(message);
		}

	}

	private record Latency(Duration mean, double jitterFraction) {

		void pause() throws InterruptedException {
			if (this.mean.isZero()) {
				return;
			}
			double factor = 1 + this.jitterFraction * (2 * ThreadLocalRandom.current().nextDouble() - 1);
			TimeUnit.NANOSECONDS.sleep((long) (this.mean.toNanos() * factor));
		}

	}

	private record Contact(String id, Map<String, String> properties, String createdAt, String updatedAt,
			boolean seeded) {

		String email() {
			return this.properties.getOrDefault("email", "");
		}

		/** Given values overwrite, others stay. */
		Contact merge(Map<String, String> values) {
			Map<String, String> merged = new LinkedHashMap<>(this.properties);
			merged.putAll(values);
			return new Contact(this.id, Collections.unmodifiableMap(merged), this.createdAt, now(), this.seeded);
		}

		ObjectNode toJson() {
			ObjectNode json = JSON.createObjectNode();
			json.put("id", this.id);
			ObjectNode values = json.putObject("properties");
			this.properties.forEach(values::put);
			json.put("createdAt", this.createdAt);
			json.put("updatedAt", this.updatedAt);
			json.put("archived", false);
			return json;
		}

	}

	private record ContactProperty(String name, String label, String type, String fieldType, String groupName) {

		static ContactProperty text(String name, String label, String groupName) {
			return new ContactProperty(name, label, "string", "text", groupName);
		}

		ObjectNode toJson() {
			ObjectNode json = JSON.createObjectNode();
			json.put("name", this.name);
			json.put("label", this.label);
			json.put("type", this.type);
			json.put("fieldType", this.fieldType);
			json.put("groupName", this.groupName);
			return json;
		}

	}

}
