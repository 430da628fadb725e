package com.portaone.nsps.hubspot.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.deser.ValueInstantiator;

/**
 * Every problem found while an event is bound, by JSON path, so that one 422 names them
 * all: the field deserializers of {@link EventValues} add theirs, and as the
 * {@link DeserializationProblemHandler} of the reader it takes the ones Jackson finds (an
 * object where a string stands, a string where an object belongs), skipping the value so
 * that binding goes on. One per read, kept as a reader attribute.
 */
final class EventProblems extends DeserializationProblemHandler {

	/** The attribute under which a read's problems are kept. */
	static final Object KEY = EventProblems.class;

	/** The handler of the reader, which finds each read's problems by {@link #KEY}. */
	static final EventProblems HANDLER = new EventProblems();

	private final Map<String, FieldViolation> byField = new LinkedHashMap<>();

	static EventProblems of(DeserializationContext context) {
		return (EventProblems) context.getAttribute(KEY);
	}

	/** Adds a problem at the parser's current value; the first one per path counts. */
	void add(JsonParser parser, String message) {
		add(path(parser), message);
	}

	void add(String field, String message) {
		this.byField.putIfAbsent(field, new FieldViolation(field, message));
	}

	List<FieldViolation> list() {
		return new ArrayList<>(this.byField.values());
	}

	/**
	 * The JSON path of the parser's current value, {@code pb_data.sim_info.imsi}, from
	 * its pointer {@code /pb_data/sim_info/imsi}.
	 */
	static String path(JsonParser parser) {
		String pointer = parser.streamReadContext().pathAsPointer().toString();
		return pointer.isEmpty() ? "body" : pointer.substring(1).replace('/', '.');
	}

	@Override
	public @Nullable Object handleUnexpectedToken(DeserializationContext context, JavaType targetType, JsonToken token,
			JsonParser parser, String failureMsg) throws JacksonException {
		return skip(context, parser, targetType.getRawClass());
	}

	@Override
	public @Nullable Object handleMissingInstantiator(DeserializationContext context, Class<?> instClass,
			ValueInstantiator valueInsta, JsonParser parser, String msg) throws JacksonException {
		return skip(context, parser, instClass);
	}

	/** A wrong kind of value: noted, skipped, read as absent. The root is not handled. */
	private @Nullable Object skip(DeserializationContext context, JsonParser parser, Class<?> type) {
		if (parser.streamReadContext().inRoot()) {
			return NOT_HANDLED;
		}
		of(context).add(parser, expected(type));
		parser.skipChildren();
		return null;
	}

	private static String expected(Class<?> type) {
		if (List.class.isAssignableFrom(type)) {
			return "must be a list";
		}
		if (type == String.class) {
			return "must be a string";
		}
		return "must be an object";
	}

}
