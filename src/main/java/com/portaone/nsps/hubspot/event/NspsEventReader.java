package com.portaone.nsps.hubspot.event;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.groups.Default;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Reads an NSPS event from the request body as it streams in: Jackson binds the event
 * records, skipping every field they do not declare (NSPS events reach 1 MB, mostly of
 * data the connector ignores) and collecting each value of the wrong kind
 * ({@link EventProblems}); then the Bean Validation rules of the event type apply. Every
 * problem is collected, so that one 422 names them all by JSON path. The body is decoded
 * as strict UTF-8: the JSON parser lets overlong and out-of-range sequences through.
 */
@Component
@EnableConfigurationProperties(EventRules.class)
public class NspsEventReader {

	private static final PropertyNamingStrategy SNAKE_CASE = PropertyNamingStrategies.SNAKE_CASE;

	private final JsonMapper mapper = JsonMapper.builder()
		.addHandler(EventProblems.HANDLER)
		.addModule(new RecordCreators())
		.build();

	private final ObjectReader events = this.mapper.readerFor(NspsEvent.class);

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
	 * Reads and validates an event as it streams in.
	 * @param body the request body
	 * @return the event; an unsupported event type has only its envelope validated
	 * @throws InvalidEventException naming every field that failed
	 * @throws IOException when reading the body fails
	 */
	public NspsEvent read(InputStream body) throws IOException {
		EventProblems problems = new EventProblems();
		NspsEvent event = bind(body, problems);
		List<FieldViolation> violations = new ArrayList<>();
		for (FieldViolation problem : problems.list()) {
			// Fields of unsupported events are never synced: only their envelope counts.
			if (event.isSupported() || !problem.field().startsWith("pb_data.")) {
				violations.add(problem);
			}
		}
		for (FieldViolation violation : validate(event)) {
			if (violations.stream().noneMatch((known) -> known.field().equals(violation.field()))) {
				violations.add(violation);
			}
		}
		if (!violations.isEmpty()) {
			throw new InvalidEventException(violations);
		}
		return event;
	}

	private NspsEvent bind(InputStream body, EventProblems problems) throws IOException {
		Reader text = new InputStreamReader(body,
				StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT));
		try (JsonParser parser = this.mapper.createParser(text)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw invalid("must be a JSON object");
			}
			NspsEvent event = this.events.withAttribute(EventProblems.KEY, problems).readValue(parser);
			if (parser.nextToken() != null) {
				throw invalid("is not valid JSON");
			}
			return event;
		}
		catch (JacksonIOException ex) {
			if (ex.getCause() instanceof CharacterCodingException) {
				throw invalid("is not valid UTF-8");
			}
			throw ex.getCause();
		}
		catch (JacksonException ex) {
			throw invalid("is not valid JSON");
		}
	}

	private static InvalidEventException invalid(String message) {
		return new InvalidEventException(List.of(new FieldViolation("body", message)));
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

	/** The JSON path of a violation: the records' names, as the JSON spells them. */
	private static String jsonPath(ConstraintViolation<?> violation) {
		List<String> names = new ArrayList<>();
		for (Path.Node node : violation.getPropertyPath()) {
			names.add(SNAKE_CASE.nameForField(null, null, node.getName()));
		}
		return String.join(".", names);
	}

}
