package com.portaone.nsps.hubspot.inbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.portaone.nsps.hubspot.inbound.SpecOracle.Verdict;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deterministic bad NSPS events: every object member of every sample event (nested ones
 * included) dropped, duplicated, retyped, blanked, made huge, given numbers beyond 64
 * bits or Unicode; plus whole bodies that are not an event at all. Each case carries what
 * SPEC sections 1 and 2 allow as the answer, as judged by {@link SpecOracle}, never by
 * the production reader.
 * <p>
 * Every event gets its own {@code event_id} and contact email, and the email's domain
 * tells which kind of case it came from, so that a HubSpot write can be traced back.
 */
final class BadEventGenerator {

	static final long SEED = 0x5EED_2025_0501L;

	static final String TOKEN = "test-api-token";

	static final String BEARER = "Bearer " + TOKEN;

	static final Path EVENTS = Path.of("src/test/resources/nsps/events");

	/** Domain of the emails of cases that must be synced. */
	static final String VALID_DOMAIN = "valid-case.example";

	/** Domain of the emails of cases that must never reach HubSpot. */
	static final String INVALID_DOMAIN = "invalid-case.example";

	/** Domain of the emails of unsupported events, which never reach HubSpot either. */
	static final String UNSUPPORTED_DOMAIN = "unsupported-case.example";

	/** Domain of the emails of cases SPEC leaves open (202 or 422). */
	static final String UNCERTAIN_DOMAIN = "uncertain-case.example";

	/**
	 * Until the verdict is known: a valid domain like the final ones, so it cannot sway
	 * it.
	 */
	private static final String PENDING_DOMAIN = "pending-case.example";

	private static final String JSON_TYPE = "application/json";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final String DUP_KEY = "@@DUP@@";

	private static final int ONE_MEBIBYTE = 1 << 20;

	/** Unicode values: emoji, RTL, combining marks, NUL, BOM, separators. */
	private static final List<String> UNICODE = List.of("😀🎉", "👩‍💻 Олена", "🇺🇦", "مرحبا بالعالم",
			"\u202Eשלום\u202C", "Z\u0351\u0334a\u0352\u0335l\u0353g\u0336o\u0489", "O\u0000lena", "\uFEFFOlena", "王秀英",
			"\u2028\u2029", "\u0000");

	/**
	 * Lone surrogates: legal JSON escapes, but no Unicode text (RFC 8259 section 8.2).
	 */
	private static final List<String> LONE_SURROGATES = List.of("\"\\ud800\"", "\"x\\udfffy\"");

	/** Numbers beyond 64 bits (and the edges of 64 bits), as raw JSON tokens. */
	private static final List<String> BIG_NUMBERS = List.of("123456789012345678901234567890",
			"-123456789012345678901234567890", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
			"-1e400", "1e309", "1e-400", "2.0");

	private static final List<String> EMAILS = List.of("олена.коваль@приклад.укр", "😀@😀.example",
			"o\u0000lena@pending-case.example", "\u202Eolena@pending-case.example", "olena koval@pending-case.example",
			"olena@example", "@pending-case.example", "olena@@pending-case.example", "olena@exam ple.com",
			"olena\u00A0koval@pending-case.example", "olena@pending-case.example\n", "Olena.Koval@Example.COM",
			"olena@pending-case.example,other@pending-case.example");

	private static final List<String> DIGIT_STRINGS = List.of("٠٠١٠١٠٠٠٠٠٢٠٣٤٩", "００１０１０００００２０３４９", "00101000002034",
			"0010100000203490", "00101000002034x", " 001010000020349", "+15551234567", "555-123-4567", "５５５１２３４５６７",
			"555123456", "55512345678", "5551234567", "001010000020349");

	private static final List<String> INTEGER_STRINGS = List.of("277147", "-5", "007", "0x1F", "1e3", "27 7147", "+5",
			"١٢٣", " 277147 ", "2.0", "NaN", "Infinity");

	private static final List<String> EVENT_TIMES = List.of("2025-02-30 12:00:00", "2025-05-01T12:00:00",
			"2025-05-01 12:00", "2025-05-01 24:00:00", "2025-05-01 12:00:00.123", "٢٠٢٥-٠٥-٠١ ١٢:٠٠:٠٠",
			"2025-05-01 12:00:00 ", "1970-01-01 00:00:00", "9999-12-31 23:59:59");

	private static final List<String> EVENT_TYPES = List.of("sim/created", "SIM/Created ", "SIM/Deleted",
			"SIM/Created\u0000", "ＳＩＭ/Created", "SIM/Updated\u200B");

	/** Unknown member names: none of them may be read as the field it resembles. */
	private static final List<String> UNICODE_KEYS = List.of("😀", "مفتاح", "k\u0301\u0327ey", "nul\u0000key", "",
			"\u202Eevent_id");

	private static final byte[][] INVALID_UTF8 = { { (byte) 0xFF }, { (byte) 0xC3, 0x28 },
			{ (byte) 0xE2, 0x28, (byte) 0xA1 }, { (byte) 0xF0, 0x28, (byte) 0x8C, (byte) 0xBC }, { (byte) 0x80 },
			{ (byte) 0xC0, (byte) 0xAF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
			{ (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 }, { (byte) 0xE2, (byte) 0x82 } };

	private BadEventGenerator() {
	}

	/**
	 * One request and the answers SPEC allows.
	 *
	 * @param id sequence number, also in the event id and email
	 * @param name what was done, for failure messages
	 * @param contentType the {@code Content-Type}, or {@code null} for none
	 * @param authorization the {@code Authorization} header, or {@code null} for none
	 * @param body the raw body
	 * @param expected acceptable statuses
	 * @param fields paths a 422 must name; empty when any path will do
	 * @param emails the contact emails a write for this case could carry
	 * @param eventId the event id, when the case has one for sure
	 */
	record BadCase(int id, String name, @Nullable String contentType, @Nullable String authorization, byte[] body,
			Set<Integer> expected, Set<String> fields, Set<String> emails, @Nullable String eventId) {

		boolean certain() {
			return this.expected.size() == 1;
		}

		/** The expectation as a label such as {@code 202} or {@code 202|422}. */
		String expectedLabel() {
			return String.join("|", this.expected.stream().map(String::valueOf).toList());
		}

		@Override
		public String toString() {
			return "#" + this.id + " " + this.name + " (expected " + expectedLabel() + ", " + this.body.length
					+ " bytes)";
		}

	}

	/** Whether the Authorization header lets a request through to its body. */
	private enum Auth {

		ACCEPTED, REFUSED,

		/**
		 * A header no valid request carries (control characters): refused as malformed
		 * (400) or as unauthenticated (401).
		 */
		MALFORMED,

		/**
		 * SPEC does not decide (the scheme's case, extra spaces): 401 or as the body
		 * says.
		 */
		OPEN

	}

	/** A JSON path through objects and arrays. */
	private record Step(@Nullable String name, int index) {

		static Step of(String name) {
			return new Step(name, -1);
		}

		static Step of(int index) {
			return new Step(null, index);
		}

		@Override
		public String toString() {
			return (this.name != null) ? this.name : "[" + this.index + "]";
		}

	}

	private static String pathName(List<Step> path) {
		StringBuilder text = new StringBuilder();
		for (Step step : path) {
			if (step.name() != null && !text.isEmpty()) {
				text.append('.');
			}
			text.append(step);
		}
		return text.toString();
	}

	/** A mutated event: its tree, raw JSON tokens to splice in, and how to read it. */
	private static final class Mutant {

		final ObjectNode tree;

		final Map<String, String> raws = new LinkedHashMap<>();

		/** For a duplicated key: the event as a first-wins parser reads it. */
		@Nullable Mutant firstWins;

		/** Raw text that replaces the duplicated key's placeholder. */
		@Nullable String duplicate;

		/** Statuses SPEC leaves open on top of the oracle's (lone surrogates). */
		final Set<Integer> lenient = new TreeSet<>();

		Mutant(ObjectNode tree) {
			this.tree = tree;
		}

		String raw(String token) {
			String placeholder = "@@RAW" + this.raws.size() + "@@";
			this.raws.put(placeholder, token);
			return placeholder;
		}

		String text() {
			String text = JSON.writeValueAsString(this.tree);
			for (Map.Entry<String, String> raw : this.raws.entrySet()) {
				text = text.replace("\"" + raw.getKey() + "\"", raw.getValue());
			}
			if (this.duplicate != null) {
				text = text.replace("\"" + DUP_KEY + "\":", this.duplicate);
			}
			return text;
		}

	}

	/** Collects cases, numbering them. */
	private static final class Cases {

		final List<BadCase> list = new ArrayList<>();

		final Random random = new Random(SEED);

		int nextId() {
			return this.list.size() + 1;
		}

		/** An event case, judged by the oracle. */
		void add(String name, Mutant mutant, @Nullable String contentType, @Nullable String authorization, Auth auth) {
			int id = nextId();
			byte[] body = mutant.text().getBytes(StandardCharsets.UTF_8);
			Verdict verdict = SpecOracle.judge(body);
			Set<Integer> expected = new TreeSet<>(verdict.statuses());
			Set<String> fields = new TreeSet<>(verdict.fields());
			Set<String> emails = new LinkedHashSet<>();
			addEmail(emails, verdict.email());
			String eventId = verdict.eventId();
			if (mutant.firstWins != null) {
				// RFC 8259 leaves duplicate names open: last wins, first wins, or
				// refused.
				Verdict first = SpecOracle.judge(mutant.firstWins.text().getBytes(StandardCharsets.UTF_8));
				expected.addAll(first.statuses());
				expected.add(422);
				fields.clear();
				addEmail(emails, first.email());
				eventId = Objects.equals(eventId, first.eventId()) ? eventId : null;
			}
			if (!mutant.lenient.isEmpty()) {
				expected.addAll(mutant.lenient);
				fields.clear();
			}
			if (auth == Auth.REFUSED) {
				// A refused token wins over anything in the body.
				expected = new TreeSet<>(Set.of(401));
				fields.clear();
			}
			else if (auth == Auth.MALFORMED) {
				expected = new TreeSet<>(Set.of(400, 401));
				fields.clear();
			}
			else if (auth == Auth.OPEN) {
				expected.add(401);
				fields.clear();
			}
			finish(id, name, contentType, authorization, body, expected, fields, emails, eventId);
		}

		/** A whole body the oracle judges as it is. */
		void addJudged(String name, byte[] body) {
			Verdict verdict = SpecOracle.judge(body);
			finish(nextId(), name, JSON_TYPE, BEARER, body, verdict.statuses(), verdict.fields(), Set.of(), null);
		}

		/**
		 * A case whose expectation is given, for bodies the oracle cannot read; a 422
		 * must then name the body.
		 */
		void addRaw(String name, @Nullable String contentType, byte[] body, Set<Integer> expected,
				@Nullable String email) {
			Set<String> emails = new LinkedHashSet<>();
			addEmail(emails, email);
			finish(nextId(), name, contentType, BEARER, body, expected,
					expected.equals(Set.of(422)) ? Set.of("body") : Set.of(), emails, null);
		}

		private void finish(int id, String name, @Nullable String contentType, @Nullable String authorization,
				byte[] body, Set<Integer> expected, Set<String> fields, Set<String> emails, @Nullable String eventId) {
			String domain = domainFor(expected);
			byte[] marked = replace(body, PENDING_DOMAIN, domain);
			Set<String> markedEmails = new LinkedHashSet<>();
			emails.forEach((email) -> markedEmails.add(email.replace(PENDING_DOMAIN, domain)));
			this.list.add(new BadCase(id, name, contentType, authorization, marked,
					Collections.unmodifiableSet(new TreeSet<>(expected)), Collections.unmodifiableSet(fields),
					Collections.unmodifiableSet(markedEmails), eventId));
		}

		private static void addEmail(Set<String> emails, @Nullable String email) {
			if (email != null) {
				emails.add(email);
			}
		}

	}

	static String domainFor(Set<Integer> expected) {
		if (expected.contains(202)) {
			return expected.equals(Set.of(202)) ? VALID_DOMAIN : UNCERTAIN_DOMAIN;
		}
		return expected.contains(200) ? UNSUPPORTED_DOMAIN : INVALID_DOMAIN;
	}

	// ---- generation

	/** Every case, in a fixed order. */
	static List<BadCase> generate() {
		Cases cases = new Cases();
		List<String> samples = sampleNames();
		for (String sample : samples) {
			ObjectNode event = sample(sample);
			for (List<Step> path : memberPaths(event, new ArrayList<>())) {
				fieldCases(cases, sample, event, path);
			}
			for (List<Step> path : objectPaths(event, new ArrayList<>())) {
				unknownKeyCases(cases, sample, event, path);
			}
		}
		hugeStringCases(cases, samples);
		contentTypeCases(cases);
		authorizationCases(cases);
		wholeBodyCases(cases, samples);
		return List.copyOf(cases.list);
	}

	static List<String> sampleNames() {
		try (Stream<Path> files = Files.list(EVENTS)) {
			return files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".json"))
				.map((name) -> name.substring(0, name.length() - ".json".length()))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static ObjectNode sample(String name) {
		try {
			return (ObjectNode) JSON.readTree(Files.readAllBytes(EVENTS.resolve(name + ".json")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Paths of every object member, depth first, arrays' objects included. */
	private static List<List<Step>> memberPaths(JsonNode node, List<Step> at) {
		List<List<Step>> paths = new ArrayList<>();
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> member : node.properties()) {
				List<Step> path = append(at, Step.of(member.getKey()));
				paths.add(path);
				paths.addAll(memberPaths(member.getValue(), path));
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				paths.addAll(memberPaths(node.get(i), append(at, Step.of(i))));
			}
		}
		return paths;
	}

	private static List<List<Step>> objectPaths(JsonNode node, List<Step> at) {
		List<List<Step>> paths = new ArrayList<>();
		if (node.isObject()) {
			paths.add(at);
			node.properties()
				.forEach(
						(member) -> paths.addAll(objectPaths(member.getValue(), append(at, Step.of(member.getKey())))));
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				paths.addAll(objectPaths(node.get(i), append(at, Step.of(i))));
			}
		}
		return paths;
	}

	private static List<Step> append(List<Step> path, Step step) {
		List<Step> longer = new ArrayList<>(path);
		longer.add(step);
		return List.copyOf(longer);
	}

	/** A copy of the sample with this case's event id and email. */
	private static Mutant personalized(ObjectNode sample, int id) {
		ObjectNode tree = sample.deepCopy();
		if (tree.has("event_id")) {
			tree.put("event_id", "bad-input-" + id);
		}
		JsonNode account = tree.path("pb_data").path("account_info");
		if (account.isObject() && account.has("email")) {
			((ObjectNode) account).put("email", "case-" + id + "@" + PENDING_DOMAIN);
		}
		return new Mutant(tree);
	}

	private static JsonNode at(JsonNode root, List<Step> path) {
		JsonNode node = root;
		for (Step step : path) {
			node = (step.name() != null) ? node.path(step.name()) : node.path(step.index());
		}
		return node;
	}

	private static ObjectNode parentOf(Mutant mutant, List<Step> path) {
		return (ObjectNode) at(mutant.tree, path.subList(0, path.size() - 1));
	}

	private static String lastName(List<Step> path) {
		return path.get(path.size() - 1).name();
	}

	/** A change to one member of a personalized event. */
	@FunctionalInterface
	private interface Change {

		void apply(Mutant mutant, ObjectNode parent, String name);

	}

	private static void fieldCases(Cases cases, String sample, ObjectNode event, List<Step> path) {
		String field = pathName(path);
		JsonNode original = at(event, path);
		String prefix = sample + ": " + field;
		fieldCase(cases, sample, event, path, prefix + " dropped", (m, parent, name) -> parent.remove(name));
		for (JsonNode value : replacements(original)) {
			fieldCase(cases, sample, event, path, prefix + " := " + describe(value),
					(m, parent, name) -> parent.set(name, value));
		}
		for (String number : BIG_NUMBERS) {
			fieldCase(cases, sample, event, path, prefix + " := " + number,
					(m, parent, name) -> parent.put(name, m.raw(number)));
		}
		for (String text : UNICODE) {
			fieldCase(cases, sample, event, path, prefix + " := " + describe(NODES.stringNode(text)),
					(m, parent, name) -> parent.put(name, text));
		}
		for (String surrogate : LONE_SURROGATES) {
			fieldCase(cases, sample, event, path, prefix + " := " + surrogate, (m, parent, name) -> {
				parent.put(name, m.raw(surrogate));
				m.lenient.add(422);
			});
		}
		for (String text : specialStrings(lastName(path))) {
			fieldCase(cases, sample, event, path, prefix + " := " + describe(NODES.stringNode(text)),
					(m, parent, name) -> parent.put(name, text));
		}
		duplicateCases(cases, sample, event, path, prefix);
	}

	private static void fieldCase(Cases cases, String sample, ObjectNode event, List<Step> path, String name,
			Change change) {
		Mutant mutant = personalized(event, cases.nextId());
		change.apply(mutant, parentOf(mutant, path), lastName(path));
		cases.add(name, mutant, JSON_TYPE, BEARER, Auth.ACCEPTED);
	}

	/** The key twice: same value, another value first, another value last. */
	private static void duplicateCases(Cases cases, String sample, ObjectNode event, List<Step> path, String prefix) {
		List<JsonNode> others = replacements(at(event, path));
		JsonNode other = others.get(cases.random.nextInt(others.size()));
		duplicateCase(cases, event, path, prefix + " twice, same value", null, false);
		duplicateCase(cases, event, path, prefix + " twice, " + describe(other) + " first", other, false);
		duplicateCase(cases, event, path, prefix + " twice, " + describe(other) + " last", other, true);
	}

	private static void duplicateCase(Cases cases, ObjectNode event, List<Step> path, String name,
			@Nullable JsonNode other, boolean otherLast) {
		int id = cases.nextId();
		Mutant mutant = personalized(event, id);
		Mutant firstWins = personalized(event, id);
		String key = lastName(path);
		JsonNode original = at(mutant.tree, path);
		JsonNode first = (other == null || otherLast) ? original : other;
		JsonNode last = (other != null && otherLast) ? other : original;
		ObjectNode parent = parentOf(mutant, path);
		// Rebuild the members in order, the duplicated one under a placeholder name
		// that is swapped for the raw "key":first,"key": text.
		List<Map.Entry<String, JsonNode>> members = new ArrayList<>(parent.properties());
		parent.removeAll();
		for (Map.Entry<String, JsonNode> member : members) {
			if (member.getKey().equals(key)) {
				parent.set(DUP_KEY, last.deepCopy());
			}
			else {
				parent.set(member.getKey(), member.getValue());
			}
		}
		mutant.duplicate = JSON.writeValueAsString(NODES.stringNode(key)) + ":" + JSON.writeValueAsString(first) + ","
				+ JSON.writeValueAsString(NODES.stringNode(key)) + ":";
		parentOf(firstWins, path).set(key, first.deepCopy());
		mutant.firstWins = firstWins;
		cases.add(name, mutant, JSON_TYPE, BEARER, Auth.ACCEPTED);
	}

	/** Blank, retyped and look-alike values for a member. */
	private static List<JsonNode> replacements(JsonNode original) {
		List<JsonNode> values = new ArrayList<>(List.of(NODES.nullNode(), NODES.stringNode(""), NODES.stringNode("   "),
				NODES.stringNode("\t\r\n "), NODES.stringNode("\u00A0\u2003"), NODES.stringNode("abc"),
				NODES.numberNode(42), NODES.numberNode(-1), NODES.numberNode(new BigDecimal("-7.5")),
				NODES.booleanNode(true), NODES.booleanNode(false), NODES.objectNode(),
				NODES.objectNode().put("name", "x"), NODES.arrayNode()));
		ArrayNode wrapped = NODES.arrayNode();
		wrapped.add(original.deepCopy());
		values.add(wrapped);
		if (original.isString()) {
			String text = original.stringValue();
			if (text.matches("[1-9][0-9]{0,30}")) {
				// The same digits as a number: right value, wrong type.
				values.add(NODES.numberNode(new BigInteger(text)));
			}
		}
		else if (original.isNumber() || original.isBoolean()) {
			values.add(NODES.stringNode(original.asString()));
			values.add(NODES.stringNode(" " + original.asString() + " "));
		}
		else {
			values.add(NODES.stringNode(JSON.writeValueAsString(original)));
		}
		return values.stream().filter((value) -> !value.equals(original)).toList();
	}

	/** Values that matter for one field in particular. */
	private static List<String> specialStrings(String name) {
		return switch (name) {
			case "email" -> EMAILS;
			case "imsi", "phone1" -> DIGIT_STRINGS;
			case "i_account", "i_sim_card" -> INTEGER_STRINGS;
			case "event_time" -> EVENT_TIMES;
			case "event_type" -> EVENT_TYPES;
			default -> List.of();
		};
	}

	/** Members no reader may mistake for the field they resemble. */
	private static void unknownKeyCases(Cases cases, String sample, ObjectNode event, List<Step> path) {
		String where = path.isEmpty() ? "(root)" : pathName(path);
		List<String> keys = new ArrayList<>(UNICODE_KEYS);
		JsonNode object = at(event, path);
		object.propertyNames().stream().findFirst().ifPresent((sibling) -> {
			keys.add(sibling.toUpperCase(Locale.ROOT));
			keys.add(sibling + " ");
		});
		for (String key : keys) {
			if (object.has(key)) {
				continue;
			}
			Mutant mutant = personalized(event, cases.nextId());
			((ObjectNode) at(mutant.tree, path)).put(key, "not an email, not 15 digits");
			cases.add(sample + ": " + where + " + unknown member " + describe(NODES.stringNode(key)), mutant, JSON_TYPE,
					BEARER, Auth.ACCEPTED);
		}
	}

	/** Only a few 1 MiB strings, at places picked by the seed. */
	private static void hugeStringCases(Cases cases, List<String> samples) {
		String huge = "x".repeat(ONE_MEBIBYTE);
		List<String> fields = List.of("event_id", "data.event_type", "pb_data.account_info.firstname",
				"pb_data.account_info.email", "pb_data.sim_info.imsi", "pb_data.account_info.time_zone_name",
				"pb_data.account_info.billing_model", "status");
		for (String field : fields) {
			String sample = samples.get(cases.random.nextInt(samples.size()));
			ObjectNode event = sample(sample);
			List<Step> path = Arrays.stream(field.split("\\.")).map(Step::of).toList();
			if (!(at(event, path.subList(0, path.size() - 1)) instanceof ObjectNode)) {
				continue;
			}
			String value = field.endsWith("email") ? huge + "@" + PENDING_DOMAIN : huge;
			fieldCase(cases, sample, event, path, sample + ": " + field + " := 1 MiB string",
					(m, parent, name) -> parent.put(name, value));
		}
		// A member name over any sane bound: unknown, so ignorable, but a parser may
		// refuse it.
		Mutant mutant = personalized(sample("sim-created"), cases.nextId());
		mutant.tree.put("k".repeat(60_000), 1);
		mutant.lenient.add(422);
		cases.add("sim-created: unknown member with a 60,000 character name", mutant, JSON_TYPE, BEARER, Auth.ACCEPTED);
	}

	/** A valid event under other content types: read as the bytes it is. */
	private static void contentTypeCases(Cases cases) {
		for (String contentType : Arrays.asList("text/plain", "application/xml", "application/x-www-form-urlencoded",
				"multipart/form-data; boundary=nsps", "application/octet-stream", "text/html",
				"application/json; charset=ISO-8859-1", "application/merge-patch+json", null)) {
			for (String sample : List.of("sim-created", "sim-updated")) {
				Mutant mutant = personalized(sample(sample), cases.nextId());
				cases.add(sample + " as " + contentType, mutant, contentType, BEARER, Auth.ACCEPTED);
			}
		}
	}

	private static void authorizationCases(Cases cases) {
		Map<String, Auth> headers = new LinkedHashMap<>();
		headers.put("Bearer wrong-token", Auth.REFUSED);
		headers.put("Basic dGVzdC1hcGktdG9rZW4=", Auth.REFUSED);
		headers.put("Bearer", Auth.REFUSED);
		headers.put("Bearer ", Auth.REFUSED);
		headers.put(TOKEN, Auth.REFUSED);
		headers.put(BEARER + ",other-token", Auth.REFUSED);
		headers.put(BEARER + "x", Auth.REFUSED);
		headers.put("Bearer 😀", Auth.REFUSED);
		headers.put("Bearer " + "a".repeat(10_000), Auth.REFUSED);
		headers.put("Bearer test-api-token\u0000", Auth.MALFORMED);
		// RFC 9110: the scheme is case-insensitive; SPEC only says "Bearer".
		headers.put("bearer " + TOKEN, Auth.OPEN);
		headers.put("BEARER " + TOKEN, Auth.OPEN);
		headers.put("Bearer  " + TOKEN, Auth.OPEN);
		headers.put(BEARER + " ", Auth.OPEN);
		for (Map.Entry<String, Auth> header : headers.entrySet()) {
			for (String sample : List.of("sim-created", "sim-created-bad-imsi")) {
				Mutant mutant = personalized(sample(sample), cases.nextId());
				cases.add(sample + " with Authorization " + describe(NODES.stringNode(abbreviate(header.getKey()))),
						mutant, JSON_TYPE, header.getKey(), header.getValue());
			}
		}
		Mutant mutant = personalized(sample("sim-created"), cases.nextId());
		cases.add("sim-created without Authorization", mutant, JSON_TYPE, null, Auth.REFUSED);
	}

	private static void wholeBodyCases(Cases cases, List<String> samples) {
		Set<Integer> invalid = Set.of(422);
		Set<Integer> open = Set.of(202, 422);
		cases.addRaw("empty body", JSON_TYPE, new byte[0], invalid, null);
		cases.addRaw("whitespace body", JSON_TYPE, bytes(" \r\n\t "), invalid, null);
		cases.addRaw("form-encoded body", "application/x-www-form-urlencoded",
				bytes("event_id=1&data.event_type=SIM%2FCreated&pb_data.account_info.email=x%40" + INVALID_DOMAIN),
				invalid, null);
		cases.addRaw("XML body", "application/xml", bytes("<?xml version=\"1.0\"?><event><event_id>1</event_id>"
				+ "<data><event_type>SIM/Created</event_type></data></event>"), invalid, null);
		cases
			.addRaw("multipart body", "multipart/form-data; boundary=nsps",
					bytes("--nsps\r\nContent-Disposition: form-data; name=\"event\"\r\n"
							+ "Content-Type: application/json\r\n\r\n{\"event_id\":\"1\"}\r\n--nsps--\r\n"),
					invalid, null);
		for (String top : List.of("[]", "{}", "\"SIM/Created\"", "42", "true", "false", "null", "1e309", "-1e400",
				"123456789012345678901234567890", "\"\"", "[{}]", "[null]")) {
			cases.addJudged("top-level " + top, bytes(top));
		}
		String created = text(personalized(sample("sim-created"), 0));
		cases.addRaw("event inside an array", JSON_TYPE, bytes("[" + created + "]"), invalid, null);
		cases.addRaw("event as a JSON string", JSON_TYPE, bytes(JSON.writeValueAsString(NODES.stringNode(created))),
				invalid, null);
		nestingCases(cases);
		invalidUtf8Cases(cases);
		syntaxCases(cases);
		for (String sample : samples) {
			truncatedCases(cases, sample);
			trailingCases(cases, sample);
		}
		encodingCases(cases, open);
	}

	private static void nestingCases(Cases cases) {
		int deep = 10_000;
		cases.addRaw("arrays nested 10,000 deep", JSON_TYPE, bytes("[".repeat(deep) + "]".repeat(deep)), Set.of(422),
				null);
		cases.addRaw("arrays opened 10,000 deep, never closed", JSON_TYPE, bytes("[".repeat(deep)), Set.of(422), null);
		cases.addRaw("objects nested 10,000 deep", JSON_TYPE, bytes("{\"a\":".repeat(deep) + "1" + "}".repeat(deep)),
				Set.of(422), null);
		cases.addRaw("objects opened 10,000 deep, never closed", JSON_TYPE, bytes("{\"a\":".repeat(deep)), Set.of(422),
				null);
		// Inside a valid event the deep member is unknown, hence ignorable; a parser
		// may still refuse the depth.
		for (int depth : new int[] { 100, 400, deep }) {
			Set<Integer> expected = (depth <= 100) ? Set.of(202) : Set.of(202, 422);
			int id = cases.nextId();
			String event = text(personalized(sample("sim-created"), id));
			String objects = event.substring(0, event.length() - 1) + ",\"deep\":" + "{\"a\":".repeat(depth) + "1"
					+ "}".repeat(depth) + "}";
			cases.addRaw("sim-created with an unknown member of objects nested " + depth + " deep", JSON_TYPE,
					bytes(objects), expected, "case-" + id + "@" + PENDING_DOMAIN);
			id = cases.nextId();
			event = text(personalized(sample("sim-created"), id));
			String arrays = event.substring(0, event.length() - 1) + ",\"deep\":" + "[".repeat(depth)
					+ "]".repeat(depth) + "}";
			cases.addRaw("sim-created with an unknown member of arrays nested " + depth + " deep", JSON_TYPE,
					bytes(arrays), expected, "case-" + id + "@" + PENDING_DOMAIN);
		}
	}

	/** Bytes that are no UTF-8, inside strings, names and between tokens. */
	private static void invalidUtf8Cases(Cases cases) {
		String[] places = { "\"Olena\"", "\"case-%d@", "\"001010000020349\"", "\"active\"", "\"bad-input-%d\"",
				"\"time_zone_name\"" };
		for (byte[] bad : INVALID_UTF8) {
			for (String place : places) {
				int id = cases.nextId();
				String event = text(personalized(sample("sim-created"), id));
				String needle = place.formatted(id);
				int at = event.indexOf(needle);
				byte[] head = bytes(event.substring(0, at + 2));
				byte[] tail = bytes(event.substring(at + 2));
				cases.addRaw("sim-created with bytes " + hex(bad) + " inside " + needle, JSON_TYPE,
						concat(head, bad, tail), Set.of(422), null);
			}
			int id = cases.nextId();
			String event = text(personalized(sample("sim-created"), id));
			int comma = event.indexOf(',');
			cases.addRaw("sim-created with bytes " + hex(bad) + " between tokens", JSON_TYPE,
					concat(bytes(event.substring(0, comma + 1)), bad, bytes(event.substring(comma + 1))), Set.of(422),
					null);
		}
	}

	private static void syntaxCases(Cases cases) {
		String event = text(personalized(sample("sim-created"), 0));
		Map<String, String> broken = new LinkedHashMap<>();
		broken.put("a comment", "/* NSPS */" + event);
		broken.put("single quotes", event.replace("\"event_id\"", "'event_id'"));
		broken.put("unquoted name", event.replace("\"event_id\"", "event_id"));
		broken.put("NaN", event.replace("\"i_sim_card\":3793", "\"i_sim_card\":NaN"));
		broken.put("leading zero", event.replace("\"i_sim_card\":3793", "\"i_sim_card\":03793"));
		broken.put("hex number", event.replace("\"i_sim_card\":3793", "\"i_sim_card\":0xED1"));
		broken.put("trailing comma", event.replace("}}", ",}}"));
		broken.put("raw newline in a string", event.replace("\"Olena\"", "\"Ole\nna\""));
		broken.put("raw control character in a string", event.replace("\"Olena\"", "\"Ole\u0001na\""));
		broken.put("invalid escape", event.replace("\"Olena\"", "\"Ole\\xna\""));
		broken.put("short unicode escape", event.replace("\"Olena\"", "\"Ole\\u12na\""));
		broken.put("missing colon", event.replace("\"event_id\":", "\"event_id\" "));
		broken.put("missing comma", event.replaceFirst(",", " "));
		broken.put("two objects", event + event);
		for (Map.Entry<String, String> body : broken.entrySet()) {
			cases.addRaw("sim-created with " + body.getKey(), JSON_TYPE, bytes(body.getValue()), Set.of(422), null);
		}
	}

	/** Cut before the last brace: never a whole JSON value. */
	private static void truncatedCases(Cases cases, String sample) {
		String event = text(personalized(sample(sample), 0));
		byte[] body = bytes(event);
		int end = event.lastIndexOf('}');
		int step = 17 + cases.random.nextInt(8);
		for (int cut = 1 + cases.random.nextInt(step); cut < end; cut += step) {
			cases.addRaw(sample + " truncated to " + cut + " bytes", JSON_TYPE, Arrays.copyOf(body, cut), Set.of(422),
					null);
		}
	}

	private static void trailingCases(Cases cases, String sample) {
		String event = text(personalized(sample(sample), 0));
		for (String garbage : List.of("x", "}", "{}", "[]", ",", "\u0000", "// done", "]", "null", "\"tail\"")) {
			cases.addRaw(sample + " + trailing " + describe(NODES.stringNode(garbage)), JSON_TYPE,
					bytes(event + garbage), Set.of(422), null);
		}
		byte[] noise = new byte[16];
		cases.random.nextBytes(noise);
		// Random bytes may start with whitespace only by chance; a letter first keeps
		// them garbage.
		cases.addRaw(sample + " + 16 random bytes", JSON_TYPE, concat(bytes(event + "!"), noise), Set.of(422), null);
		if (sample.startsWith("sim-created") && !sample.contains("bad") && !sample.contains("missing")) {
			int id = cases.nextId();
			String personal = text(personalized(sample(sample), id));
			cases.addRaw(sample + " + trailing whitespace", JSON_TYPE, bytes(personal + " \r\n\t"), Set.of(202),
					"case-" + id + "@" + PENDING_DOMAIN);
		}
	}

	/** A byte order mark and UTF-16: JSON between systems is UTF-8 (RFC 8259 8.1). */
	private static void encodingCases(Cases cases, Set<Integer> open) {
		int id = cases.nextId();
		String event = text(personalized(sample("sim-created"), id));
		cases.addRaw("sim-created after a UTF-8 byte order mark", JSON_TYPE,
				concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, bytes(event)), open,
				"case-" + id + "@" + PENDING_DOMAIN);
		// The domain is set before encoding: the marker is swapped in UTF-8 bytes only.
		String domain = domainFor(open);
		id = cases.nextId();
		event = text(personalized(sample("sim-created"), id)).replace(PENDING_DOMAIN, domain);
		cases.addRaw("sim-created in UTF-16BE", JSON_TYPE, event.getBytes(StandardCharsets.UTF_16BE), open,
				"case-" + id + "@" + domain);
		id = cases.nextId();
		event = text(personalized(sample("sim-created"), id)).replace(PENDING_DOMAIN, domain);
		cases.addRaw("sim-created in UTF-16LE", JSON_TYPE, event.getBytes(StandardCharsets.UTF_16LE), open,
				"case-" + id + "@" + domain);
		id = cases.nextId();
		event = text(personalized(sample("sim-created"), id)).replace("Olena", "Ol\u00e9na");
		cases.addRaw("sim-created in ISO-8859-1", JSON_TYPE, event.getBytes(StandardCharsets.ISO_8859_1), Set.of(422),
				null);
	}

	// ---- helpers

	private static String text(Mutant mutant) {
		return mutant.text();
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	private static byte[] replace(byte[] body, String from, String to) {
		byte[] needle = bytes(from);
		byte[] replacement = bytes(to);
		ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
		int i = 0;
		while (i < body.length) {
			if (i + needle.length <= body.length
					&& Arrays.equals(body, i, i + needle.length, needle, 0, needle.length)) {
				out.writeBytes(replacement);
				i += needle.length;
			}
			else {
				out.write(body[i++]);
			}
		}
		return out.toByteArray();
	}

	private static String hex(byte[] bytes) {
		StringBuilder text = new StringBuilder();
		for (byte b : bytes) {
			text.append(String.format("%02X", b & 0xFF));
		}
		return text.toString();
	}

	/** JSON text of a value, cut short for case names. */
	private static String describe(JsonNode value) {
		return abbreviate(JSON.writeValueAsString(value));
	}

	private static String abbreviate(String text) {
		return (text.length() <= 60) ? text : text.substring(0, 40) + "…(" + text.length() + " chars)";
	}

}
