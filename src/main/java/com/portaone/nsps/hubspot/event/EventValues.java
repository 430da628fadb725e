package com.portaone.nsps.hubspot.event;

import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * How the event's values are read where SPEC §2 is stricter or looser than Jackson: a
 * blank string is absent; a string field takes only a string; an integer takes an
 * integral number or a numeric string, within 64 bits; {@code event_time} is a real time
 * as {@code YYYY-MM-DD HH:MM:SS}; {@code assigned_addons} is a list, counted but not
 * kept; each part of the event is an object. Each adds its problem to
 * {@link EventProblems} and reads as absent.
 */
final class EventValues {

	private EventValues() {
	}

	/** A string; blank reads as absent. */
	static final class Text extends ValueDeserializer<String> {

		@Override
		public @Nullable String deserialize(JsonParser parser, DeserializationContext context) {
			if (parser.currentToken() != JsonToken.VALUE_STRING) {
				return wrong(parser, context, "must be a string");
			}
			String value = parser.getString();
			return value.isBlank() ? null : value;
		}

	}

	/** An integer, or a string of one; blank reads as absent. */
	static final class Integral extends ValueDeserializer<Long> {

		private static final Pattern DIGITS = Pattern.compile("-?[0-9]+");

		private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);

		private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

		@Override
		public @Nullable Long deserialize(JsonParser parser, DeserializationContext context) {
			JsonToken token = parser.currentToken();
			if (token == JsonToken.VALUE_NUMBER_INT) {
				return fit(parser.getBigIntegerValue(), parser, context);
			}
			if (token == JsonToken.VALUE_STRING) {
				String text = parser.getString().strip();
				if (text.isEmpty()) {
					return null;
				}
				if (DIGITS.matcher(text).matches()) {
					return fit(new BigInteger(text), parser, context);
				}
			}
			return wrong(parser, context, "must be an integer");
		}

		private static @Nullable Long fit(BigInteger value, JsonParser parser, DeserializationContext context) {
			if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
				return wrong(parser, context, "must be an integer");
			}
			return value.longValue();
		}

	}

	/** {@code YYYY-MM-DD HH:MM:SS}, a real date and time; blank reads as absent. */
	static final class EventTime extends ValueDeserializer<LocalDateTime> {

		private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
			.withResolverStyle(ResolverStyle.STRICT);

		private static final String MESSAGE = "must be a time as YYYY-MM-DD HH:MM:SS";

		@Override
		public @Nullable LocalDateTime deserialize(JsonParser parser, DeserializationContext context) {
			if (parser.currentToken() != JsonToken.VALUE_STRING) {
				return wrong(parser, context, MESSAGE);
			}
			String text = parser.getString();
			if (text.isBlank()) {
				return null;
			}
			try {
				return LocalDateTime.parse(text, FORMAT);
			}
			catch (DateTimeParseException ex) {
				return wrong(parser, context, MESSAGE);
			}
		}

	}

	/** A list, of anything: only whether it is empty counts. */
	static final class AddOns extends ValueDeserializer<AssignedAddOns> {

		@Override
		public @Nullable AssignedAddOns deserialize(JsonParser parser, DeserializationContext context) {
			if (parser.currentToken() == JsonToken.VALUE_STRING && parser.getString().isBlank()) {
				return null;
			}
			if (parser.currentToken() != JsonToken.START_ARRAY) {
				return wrong(parser, context, "must be a list");
			}
			int count = 0;
			while (parser.nextToken() != JsonToken.END_ARRAY) {
				count++;
				parser.skipChildren();
			}
			return new AssignedAddOns(count);
		}

	}

	/**
	 * An object of the event, bound as its record; anything else (a blank string
	 * included) is a problem of its own path. The record's deserializer is found once,
	 * when the property is resolved: looking it up per event took a quarter of a read.
	 */
	static class Part<T> extends ValueDeserializer<T> {

		private final Class<T> type;

		private final @Nullable ValueDeserializer<Object> record;

		Part(Class<T> type) {
			this(type, null);
		}

		private Part(Class<T> type, @Nullable ValueDeserializer<Object> record) {
			this.type = type;
			this.record = record;
		}

		@Override
		public ValueDeserializer<?> createContextual(DeserializationContext context, @Nullable BeanProperty property) {
			return new Part<>(this.type,
					context.findContextualValueDeserializer(context.constructType(this.type), property));
		}

		@Override
		public @Nullable T deserialize(JsonParser parser, DeserializationContext context) {
			if (parser.currentToken() != JsonToken.START_OBJECT) {
				return wrong(parser, context, "must be an object");
			}
			if (this.record == null) {
				// Jackson contextualises every property's deserializer before it reads.
				throw new IllegalStateException(this.type.getSimpleName() + " read by a part never contextualised");
			}
			return this.type.cast(this.record.deserialize(parser, context));
		}

	}

	static final class Data extends Part<EventData> {

		Data() {
			super(EventData.class);
		}

	}

	static final class Variables extends Part<EventData.Variables> {

		Variables() {
			super(EventData.Variables.class);
		}

	}

	static final class Enrichment extends Part<PbData> {

		Enrichment() {
			super(PbData.class);
		}

	}

	static final class Account extends Part<AccountInfo> {

		Account() {
			super(AccountInfo.class);
		}

	}

	static final class Sim extends Part<SimInfo> {

		Sim() {
			super(SimInfo.class);
		}

	}

	private static <T> @Nullable T wrong(JsonParser parser, DeserializationContext context, String message) {
		EventProblems.of(context).add(parser, message);
		parser.skipChildren();
		return null;
	}

}
