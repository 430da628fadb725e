package com.portaone.nsps.hubspot.event;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.groups.Default;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.filter.FilteringParserDelegate;
import tools.jackson.core.filter.TokenFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Reads an NSPS event from the raw request body: first the JSON shape (types, blank
 * strings as absent), then the Bean Validation rules of the event type. Every problem is
 * collected so that one 422 answer names them all.
 */
@Component
@EnableConfigurationProperties(EventRules.class)
public class NspsEventReader {

	private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
		.withResolverStyle(ResolverStyle.STRICT);

	private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

	private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

	private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

	private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Validator validator;

	public NspsEventReader(EventRules rules) {
		this.validator = EventValidation.validator(rules);
	}

	/**
	 * Reads and validates an event from a body held in memory.
	 * @param body the request body as received
	 * @return the event; an unsupported event type has only its envelope validated
	 * @throws InvalidEventException naming every field that failed
	 */
	public NspsEvent read(byte[] body) {
		try {
			return read(new ByteArrayInputStream(body));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads and validates an event as it streams in: only the fields the connector uses
	 * are kept, the rest is checked and dropped as it passes.
	 * @param body the request body
	 * @return the event; an unsupported event type has only its envelope validated
	 * @throws InvalidEventException naming every field that failed
	 * @throws IOException when reading the body fails
	 */
	public NspsEvent read(InputStream body) throws IOException {
		JsonNode root = parse(body);
		Violations envelope = new Violations();
		String eventId = envelope.text(root, "event_id");
		JsonNode dataNode = envelope.object(root, "data");
		EventData data = (dataNode != null) ? readData(dataNode, envelope) : null;
		JsonNode pbNode = envelope.object(root, "pb_data");
		NspsEvent shell = new NspsEvent(eventId, data, null);
		// Fields of unsupported events are never synced, so only their envelope counts.
		Violations fields = shell.isSupported() ? envelope : new Violations();
		PbData pbData = (pbNode != null) ? readPbData(pbNode, fields) : null;
		NspsEvent event = new NspsEvent(eventId, data, pbData);
		envelope.addAll(validate(event));
		if (!envelope.isEmpty()) {
			throw new InvalidEventException(envelope.list());
		}
		return event;
	}

	private JsonNode parse(InputStream body) throws IOException {
		// Strict: the JSON parser lets overlong and out-of-range sequences through.
		Reader text = new InputStreamReader(body,
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT));
		JsonNode root;
		try (JsonParser parser = this.mapper.createParser(text)) {
			JsonParser fields = new FilteringParserDelegate(parser, EventFields.EVENT,
					TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true);
			root = this.mapper.readTree(fields);
			if (root != null && parser.nextToken() != null) {
				throw new InvalidEventException(List.of(new FieldViolation("body", "is not valid JSON")));
			}
		}
		catch (JacksonIOException ex) {
			if (ex.getCause() instanceof CharacterCodingException) {
				throw new InvalidEventException(List.of(new FieldViolation("body", "is not valid UTF-8")));
			}
			throw ex.getCause();
		}
		catch (JacksonException ex) {
			throw new InvalidEventException(List.of(new FieldViolation("body", "is not valid JSON")));
		}
		if (root == null || root.isMissingNode() || !root.isObject()) {
			throw new InvalidEventException(List.of(new FieldViolation("body", "must be a JSON object")));
		}
		return root;
	}

	private EventData readData(JsonNode data, Violations violations) {
		String eventType = violations.text(data, "data", "event_type");
		JsonNode variables = violations.object(data, "data", "variables");
		LocalDateTime eventTime = null;
		if (variables != null) {
			String text = violations.text(variables, "data.variables", "event_time");
			if (text != null) {
				try {
					eventTime = LocalDateTime.parse(text, EVENT_TIME);
				}
				catch (DateTimeParseException ex) {
					violations.add("data.variables.event_time", "must be a time as YYYY-MM-DD HH:MM:SS");
				}
			}
		}
		return new EventData(eventType, eventTime);
	}

	private PbData readPbData(JsonNode pbData, Violations violations) {
		JsonNode account = violations.object(pbData, "pb_data", "account_info");
		JsonNode sim = violations.object(pbData, "pb_data", "sim_info");
		AccountInfo accountInfo = AccountInfo.empty();
		if (account != null) {
			String at = "pb_data.account_info";
			accountInfo = new AccountInfo(violations.integer(account, at, "i_account"),
					violations.text(account, at, "email"), violations.text(account, at, "phone1"),
					violations.text(account, at, "firstname"), violations.text(account, at, "lastname"),
					violations.addOnNames(account, at, "assigned_addons"),
					violations.text(account, at, "billing_model"));
		}
		SimInfo simInfo = SimInfo.empty();
		if (sim != null) {
			String at = "pb_data.sim_info";
			simInfo = new SimInfo(violations.integer(sim, at, "i_sim_card"), violations.text(sim, at, "imsi"));
		}
		return new PbData(accountInfo, simInfo);
	}

	private List<FieldViolation> validate(NspsEvent event) {
		Class<?>[] groups = switch (event.eventType()) {
			case NspsEvent.SIM_CREATED -> new Class<?>[] { Default.class, NspsEvent.SimCreated.class };
			case NspsEvent.SIM_UPDATED -> new Class<?>[] { Default.class, NspsEvent.SimUpdated.class };
			default -> new Class<?>[] { Default.class };
		};
		return this.validator.validate(event, groups)
			.stream()
			.map((violation) -> new FieldViolation(jsonPath(violation), violation.getMessage()))
			.sorted(Comparator.comparing(FieldViolation::field))
			.toList();
	}

	private static String jsonPath(ConstraintViolation<?> violation) {
		List<String> names = new ArrayList<>();
		for (Path.Node node : violation.getPropertyPath()) {
			names.add(CAMEL_HUMP.matcher(node.getName()).replaceAll("$1_$2").toLowerCase());
		}
		return String.join(".", names);
	}

	/** Violations by JSON path; the first one found for a path is the one reported. */
	private static final class Violations {

		private final Map<String, FieldViolation> byField = new LinkedHashMap<>();

		void add(String field, String message) {
			this.byField.putIfAbsent(field, new FieldViolation(field, message));
		}

		void addAll(List<FieldViolation> violations) {
			violations.forEach((violation) -> add(violation.field(), violation.message()));
		}

		boolean isEmpty() {
			return this.byField.isEmpty();
		}

		List<FieldViolation> list() {
			return List.copyOf(this.byField.values());
		}

		@Nullable String text(JsonNode parent, String name) {
			return text(parent, "", name);
		}

		@Nullable String text(JsonNode parent, String at, String name) {
			JsonNode node = parent.get(name);
			if (node == null || node.isNull()) {
				return null;
			}
			if (!node.isString()) {
				add(path(at, name), "must be a string");
				return null;
			}
			String value = node.stringValue();
			return value.isBlank() ? null : value;
		}

		@Nullable Long integer(JsonNode parent, String at, String name) {
			JsonNode node = parent.get(name);
			if (node == null || node.isNull()) {
				return null;
			}
			BigInteger value = null;
			if (node.isIntegralNumber()) {
				value = node.bigIntegerValue();
			}
			else if (node.isString()) {
				String text = node.stringValue().strip();
				if (text.isEmpty()) {
					return null;
				}
				value = INTEGER.matcher(text).matches() ? new BigInteger(text) : null;
			}
			if (value == null || value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0) {
				add(path(at, name), "must be an integer");
				return null;
			}
			return value.longValueExact();
		}

		@Nullable JsonNode object(JsonNode parent, String name) {
			return object(parent, "", name);
		}

		@Nullable JsonNode object(JsonNode parent, String at, String name) {
			JsonNode node = parent.get(name);
			if (node == null || node.isNull()) {
				return null;
			}
			if (!node.isObject()) {
				add(path(at, name), "must be an object");
				return null;
			}
			return node;
		}

		@Nullable List<String> addOnNames(JsonNode parent, String at, String name) {
			JsonNode node = parent.get(name);
			if (node == null || node.isNull()) {
				return null;
			}
			if (!node.isArray()) {
				add(path(at, name), "must be a list");
				return null;
			}
			List<String> names = new ArrayList<>();
			for (JsonNode addOn : node) {
				JsonNode addOnName = addOn.get("name");
				names.add((addOnName != null && addOnName.isString()) ? addOnName.stringValue() : "");
			}
			return names;
		}

		private static String path(String at, String name) {
			return at.isEmpty() ? name : at + "." + name;
		}

	}

}
