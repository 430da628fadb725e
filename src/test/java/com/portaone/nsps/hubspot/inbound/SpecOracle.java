package com.portaone.nsps.hubspot.inbound;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An independent reading of SPEC section 2, written from the SPEC text and kept apart
 * from the production reader on purpose: a bad-input suite that asked the reader what the
 * reader should answer would test nothing. Where the SPEC leaves the answer open, the
 * verdict says so ({@code 202} or {@code 422}) instead of guessing.
 */
final class SpecOracle {

	/** SPEC section 2, verbatim. */
	static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	static final String SIM_CREATED = "SIM/Created";

	static final String SIM_UPDATED = "SIM/Updated";

	private static final Pattern PLAIN_INTEGER = Pattern.compile("-?[0-9]+");

	private static final Pattern EVENT_TIME = Pattern
		.compile("([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2})");

	private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

	private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

	// Floats as BigDecimal so that 1e309 stays 10^309 rather than becoming Infinity: the
	// oracle judges what was sent, not what a double can hold.
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private SpecOracle() {
	}

	/**
	 * What SPEC allows as the answer to a body.
	 *
	 * @param statuses acceptable statuses (more than one where SPEC leaves it open)
	 * @param fields JSON paths a 422 must name (every field that certainly failed)
	 * @param email the contact email the event carries, if any
	 * @param eventId the event id it carries, if any
	 */
	record Verdict(Set<Integer> statuses, Set<String> fields, @Nullable String email, @Nullable String eventId) {

		Verdict {
			statuses = Collections.unmodifiableSet(new TreeSet<>(statuses));
			fields = Collections.unmodifiableSet(new TreeSet<>(fields));
		}

		static Verdict notJson() {
			return new Verdict(Set.of(422), Set.of("body"), null, null);
		}

		boolean certain() {
			return this.statuses.size() == 1;
		}

	}

	/** How a field reads, before the event type decides whether it is needed. */
	private enum Reading {

		ABSENT, OK, BAD,

		/** SPEC does not decide between valid and invalid. */
		UNSURE,

		/**
		 * A blank string where an object or list belongs: absent or invalid, SPEC does
		 * not say.
		 */
		BLANK_OTHER

	}

	/**
	 * Required for the event type, optional but typed by SPEC, or optional and untyped.
	 */
	private enum Need {

		REQUIRED, TYPED, LOOSE

	}

	static Verdict judge(byte[] body) {
		JsonNode root;
		try {
			root = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			return Verdict.notJson();
		}
		return judge(root);
	}

	static Verdict judge(@Nullable JsonNode root) {
		if (root == null || !root.isObject()) {
			return Verdict.notJson();
		}
		Findings findings = new Findings();
		findings.check("event_id", text(root.get("event_id")), Need.REQUIRED);
		JsonNode data = root.get("data");
		Reading dataReading = object(data);
		findings.check("data", dataReading, Need.REQUIRED);
		String eventType = null;
		if (dataReading == Reading.OK) {
			Reading typeReading = text(data.get("event_type"));
			findings.check("data.event_type", typeReading, Need.REQUIRED);
			eventType = (typeReading == Reading.OK) ? data.get("event_type").stringValue() : null;
			JsonNode variables = data.get("variables");
			Reading variablesReading = object(variables);
			findings.check("data.variables", variablesReading, Need.TYPED);
			if (variablesReading == Reading.OK) {
				findings.check("data.variables.event_time", eventTime(variables.get("event_time")), Need.TYPED);
			}
		}
		JsonNode pbData = root.get("pb_data");
		Reading pbReading = object(pbData);
		findings.check("pb_data", pbReading, Need.REQUIRED);
		boolean created = SIM_CREATED.equals(eventType);
		boolean supported = created || SIM_UPDATED.equals(eventType);
		String email = null;
		if (supported && pbReading == Reading.OK) {
			email = judgeAccount(pbData.get("account_info"), created, findings);
			judgeSim(pbData.get("sim_info"), created, findings);
		}
		JsonNode eventIdNode = root.get("event_id");
		String eventId = (eventIdNode != null && eventIdNode.isString()) ? eventIdNode.stringValue() : null;
		if (!findings.bad.isEmpty()) {
			return new Verdict(Set.of(422), findings.bad, email, eventId);
		}
		int success = supported ? 202 : 200;
		// Event type unknown because the envelope failed is covered above: a bad
		// envelope always adds a certain violation.
		Set<Integer> statuses = findings.unsure ? Set.of(success, 422) : Set.of(success);
		return new Verdict(statuses, Set.of(), email, eventId);
	}

	private static @Nullable String judgeAccount(@Nullable JsonNode account, boolean created, Findings findings) {
		String at = "pb_data.account_info";
		Reading reading = object(account);
		Need strings = created ? Need.REQUIRED : Need.LOOSE;
		if (reading != Reading.OK) {
			if (reading == Reading.ABSENT) {
				// Every field it should carry is missing, each by its own path.
				findings.check(at + ".email", Reading.ABSENT, Need.REQUIRED);
				if (created) {
					for (String name : new String[] { "i_account", "phone1", "firstname", "lastname", "assigned_addons",
							"billing_model" }) {
						findings.check(at + "." + name, Reading.ABSENT, Need.REQUIRED);
					}
				}
			}
			else {
				// It holds the email, which every supported event needs.
				findings.check(at, (reading == Reading.BLANK_OTHER) ? Reading.BAD : reading, Need.REQUIRED);
			}
			return null;
		}
		findings.check(at + ".i_account", integer(account.get("i_account")), created ? Need.REQUIRED : Need.TYPED);
		JsonNode emailNode = account.get("email");
		findings.check(at + ".email", email(emailNode), Need.REQUIRED);
		findings.check(at + ".phone1", digits(account.get("phone1"), 10), created ? Need.REQUIRED : Need.TYPED);
		findings.check(at + ".firstname", text(account.get("firstname")), strings);
		findings.check(at + ".lastname", text(account.get("lastname")), strings);
		findings.check(at + ".assigned_addons", list(account.get("assigned_addons")), strings);
		findings.check(at + ".billing_model", text(account.get("billing_model")), strings);
		return (emailNode != null && emailNode.isString()) ? emailNode.stringValue() : null;
	}

	private static void judgeSim(@Nullable JsonNode sim, boolean created, Findings findings) {
		String at = "pb_data.sim_info";
		Reading reading = object(sim);
		if (reading != Reading.OK) {
			if (created && reading == Reading.ABSENT) {
				findings.check(at + ".i_sim_card", Reading.ABSENT, Need.REQUIRED);
				findings.check(at + ".imsi", Reading.ABSENT, Need.REQUIRED);
			}
			else {
				findings.check(at, reading, created ? Need.REQUIRED : Need.LOOSE);
			}
			return;
		}
		findings.check(at + ".i_sim_card", integer(sim.get("i_sim_card")), created ? Need.REQUIRED : Need.TYPED);
		findings.check(at + ".imsi", digits(sim.get("imsi"), 15), created ? Need.REQUIRED : Need.TYPED);
	}

	// ---- readings of single values

	private static boolean absent(@Nullable JsonNode node) {
		return node == null || node.isNull() || node.isMissingNode();
	}

	/** A string; blank counts as absent (SPEC section 2, deliberate change). */
	private static Reading text(@Nullable JsonNode node) {
		if (absent(node)) {
			return Reading.ABSENT;
		}
		if (!node.isString()) {
			return Reading.BAD;
		}
		return blankness(node.stringValue());
	}

	/**
	 * OK for a non-blank string, ABSENT for a blank one, UNSURE where "blank" is moot.
	 */
	private static Reading blankness(String value) {
		boolean javaBlank = value.chars().allMatch(Character::isWhitespace);
		boolean unicodeBlank = value.chars()
			.allMatch((c) -> Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u200B' || c == '\uFEFF');
		if (javaBlank) {
			return Reading.ABSENT;
		}
		// Only no-break or zero-width spaces: blank to some readers, not to others.
		return unicodeBlank ? Reading.UNSURE : Reading.OK;
	}

	private static Reading email(@Nullable JsonNode node) {
		Reading reading = text(node);
		if (reading != Reading.OK) {
			return reading;
		}
		String value = node.stringValue();
		boolean matches = EMAIL.matcher(value).matches();
		// "\s" is ASCII whitespace in Java, every Unicode space in the seed's Python:
		// an address with other spaces is valid to one reading of SPEC only.
		boolean otherSpaces = value.chars()
			.anyMatch((c) -> !isAsciiSpace(c) && (Character.isWhitespace(c) || Character.isSpaceChar(c)));
		if (otherSpaces && matches) {
			return Reading.UNSURE;
		}
		return matches ? Reading.OK : Reading.BAD;
	}

	private static boolean isAsciiSpace(int c) {
		return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
	}

	/** Exactly {@code count} ASCII digits (the default IMSI and phone patterns). */
	private static Reading digits(@Nullable JsonNode node, int count) {
		if (absent(node)) {
			return Reading.ABSENT;
		}
		if (!node.isString()) {
			// A JSON number with the right digits is the value in the wrong type.
			boolean lookalike = node.isIntegralNumber() && node.bigIntegerValue().signum() >= 0
					&& allDigits(node.bigIntegerValue().toString(), count);
			return lookalike ? Reading.UNSURE : Reading.BAD;
		}
		Reading reading = blankness(node.stringValue());
		if (reading != Reading.OK) {
			return reading;
		}
		return allDigits(node.stringValue(), count) ? Reading.OK : Reading.BAD;
	}

	private static boolean allDigits(String value, int count) {
		return value.length() == count && value.chars().allMatch((c) -> c >= '0' && c <= '9');
	}

	/** An integer; a numeric string is accepted, "abc" is not. */
	private static Reading integer(@Nullable JsonNode node) {
		if (absent(node)) {
			return Reading.ABSENT;
		}
		if (node.isIntegralNumber()) {
			return fitsLong(node.bigIntegerValue()) ? Reading.OK : Reading.UNSURE;
		}
		if (node.isNumber()) {
			// 1e309 or 5.0: an integer in value but not in form; 7.5 is no integer.
			return isIntegral(node.decimalValue()) ? Reading.UNSURE : Reading.BAD;
		}
		if (!node.isString()) {
			return Reading.BAD;
		}
		String value = node.stringValue();
		if (value.isBlank()) {
			return Reading.ABSENT;
		}
		if (PLAIN_INTEGER.matcher(value).matches()) {
			return fitsLong(new BigInteger(value)) ? Reading.OK : Reading.UNSURE;
		}
		try {
			// " 42", "+42", "4.2e1": numeric in some readings only.
			return isIntegral(new BigDecimal(value.strip())) ? Reading.UNSURE : Reading.BAD;
		}
		catch (NumberFormatException ex) {
			return Reading.BAD;
		}
	}

	private static boolean fitsLong(BigInteger value) {
		return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0;
	}

	private static boolean isIntegral(BigDecimal value) {
		return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
	}

	private static Reading object(@Nullable JsonNode node) {
		if (absent(node)) {
			return Reading.ABSENT;
		}
		if (node.isObject()) {
			return Reading.OK;
		}
		return (node.isString() && node.stringValue().isBlank()) ? Reading.BLANK_OTHER : Reading.BAD;
	}

	private static Reading list(@Nullable JsonNode node) {
		if (absent(node)) {
			return Reading.ABSENT;
		}
		if (node.isArray()) {
			return Reading.OK;
		}
		return (node.isString() && node.stringValue().isBlank()) ? Reading.BLANK_OTHER : Reading.BAD;
	}

	/** "YYYY-MM-DD HH:MM:SS" when present, a real date and time. */
	private static Reading eventTime(@Nullable JsonNode node) {
		Reading reading = text(node);
		if (reading != Reading.OK) {
			return reading;
		}
		var matcher = EVENT_TIME.matcher(node.stringValue());
		if (!matcher.matches()) {
			return Reading.BAD;
		}
		try {
			LocalDateTime.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
					Integer.parseInt(matcher.group(3)), Integer.parseInt(matcher.group(4)),
					Integer.parseInt(matcher.group(5)), Integer.parseInt(matcher.group(6)));
			return Reading.OK;
		}
		catch (DateTimeException ex) {
			return Reading.BAD;
		}
	}

	/** Certain violations by path, and whether anything was left open. */
	private static final class Findings {

		private final Set<String> bad = new LinkedHashSet<>();

		private boolean unsure;

		void check(String path, Reading reading, Need need) {
			switch (reading) {
				case OK -> {
				}
				case ABSENT -> {
					if (need == Need.REQUIRED) {
						this.bad.add(path);
					}
				}
				case BAD -> {
					// SPEC types only some optional fields; for the others a wrong
					// type is neither clearly fine nor clearly invalid.
					if (need == Need.LOOSE) {
						this.unsure = true;
					}
					else {
						this.bad.add(path);
					}
				}
				case BLANK_OTHER -> {
					// Absent or invalid: a required field fails either way.
					if (need == Need.REQUIRED) {
						this.bad.add(path);
					}
					else {
						this.unsure = true;
					}
				}
				case UNSURE -> this.unsure = true;
			}
		}

	}

}
