package com.portaone.nsps.hubspot.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.portaone.nsps.hubspot.SimEvents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RecordCreators} builds each event record as Jackson's own instantiator does: the
 * same values in the same components, for the NSPS samples (missing parts and unsupported
 * types included) and a seeded run of generated events.
 */
class RecordCreatorsTest {

	private final ObjectReader jacksons = reader(JsonMapper.builder().addHandler(EventProblems.HANDLER).build());

	private final ObjectReader canonical = reader(
			JsonMapper.builder().addHandler(EventProblems.HANDLER).addModule(new RecordCreators()).build());

	@Test
	void everyEventIsBuiltAsJacksonBuildsIt() throws IOException {
		List<byte[]> bodies = new ArrayList<>();
		try (Stream<Path> samples = Files.list(SampleEvents.DIRECTORY)) {
			for (Path sample : samples.sorted().toList()) {
				bodies.add(Files.readAllBytes(sample));
			}
		}
		for (int n = 0; n < 200; n++) {
			bodies.add(SimEvents.created("record-creators", n).getBytes(StandardCharsets.UTF_8));
		}
		for (byte[] body : bodies) {
			NspsEvent expected = read(this.jacksons, body);
			assertThat(read(this.canonical, body)).isEqualTo(expected);
		}
		assertThat(bodies).hasSizeGreaterThan(200);
	}

	private static ObjectReader reader(JsonMapper mapper) {
		return mapper.readerFor(NspsEvent.class);
	}

	private static NspsEvent read(ObjectReader reader, byte[] body) {
		return reader.withAttribute(EventProblems.KEY, new EventProblems()).readValue(body);
	}

}
