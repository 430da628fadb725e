package com.portaone.nsps.hubspot.logging;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.logstash.logback.mask.ValueMasker;
import tools.jackson.core.TokenStreamContext;

/**
 * Masks e-mail addresses, phone numbers and Bearer tokens in every string a log line
 * carries, HubSpot's own error messages included (they echo addresses). Ids that
 * correlate lines are left alone.
 */
public class PersonalDataMasker implements ValueMasker {

	private static final Set<String> IDS = Set.of(LogContext.TRACE_ID, LogContext.SPAN_ID, LogContext.REQUEST_ID,
			LogContext.EVENT_ID, "timestamp", "logger_name", "thread_name", "level");

	private static final Pattern EMAIL = Pattern
		.compile("([^\\s@\"'<>(),;:\\[\\]{}]{1,64})@([^\\s@\"'<>(),;:\\[\\]{}]+)");

	private static final Pattern PHONE = Pattern.compile("(?<![\\w+])\\+?\\d{8,15}(?!\\w)");

	private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)\\S+");

	@Override
	public Object mask(TokenStreamContext context, Object value) {
		String field = context.currentName();
		if (!(value instanceof CharSequence text) || (field != null && IDS.contains(field))) {
			return value;
		}
		return mask(text.toString());
	}

	/**
	 * The text with e-mail local parts, all but the last two digits of phone numbers, and
	 * tokens masked.
	 */
	public static String mask(String text) {
		String masked = BEARER.matcher(text).replaceAll("$1****");
		masked = EMAIL.matcher(masked)
			.replaceAll((match) -> Matcher.quoteReplacement(match.group(1).charAt(0) + "***@" + match.group(2)));
		return PHONE.matcher(masked).replaceAll((match) -> Matcher.quoteReplacement(maskDigits(match.group())));
	}

	private static String maskDigits(String phone) {
		StringBuilder out = new StringBuilder(phone.length());
		int digitsLeft = (int) phone.chars().filter(Character::isDigit).count();
		for (char c : phone.toCharArray()) {
			if (Character.isDigit(c)) {
				out.append((digitsLeft-- > 2) ? '*' : c);
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

}
