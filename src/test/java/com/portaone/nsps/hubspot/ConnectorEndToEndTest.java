package com.portaone.nsps.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path: an NSPS event over HTTP, through the real filters, reader, engine and
 * HubSpot client, into the HubSpot stand-in; and the JSON log it leaves.
 */
// The level is set here: levels other test contexts set stay in the JVM.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "logging.level.com.portaone.nsps.hubspot=INFO")
@ExtendWith(OutputCaptureExtension.class)
class ConnectorEndToEndTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@Test
	void syncsAnEventToHubSpotAndLogsItAsJsonWithTheTraceId(CapturedOutput output) throws Exception {
		HttpResponse<String> response = postExampleEvent(this.port, "x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7",
				"x-request-id", "nsps-request-1");

		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(json.readTree(response.body()).get("message").asString()).isEqualTo("Event accepted for processing");
		assertThat(standIn.contact("Olena.Koval@example.com"))
			.hasValueSatisfying((contact) -> assertThat(contact).containsEntry("firstname", "Olena")
				.containsEntry("lastname", "Koval")
				.containsEntry("phone", "5551234567")
				.containsEntry("account_id", "277147")
				.containsEntry("has_add_ons", "true")
				.containsEntry("sim_card_id", "3793")
				.containsEntry("imsi", "001010000020349")
				.containsEntry("type", "CREDIT ACCOUNT"));

		List<JsonNode> lines = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map(json::readTree)
			.toList();
		List<JsonNode> requestLines = lines.stream()
			.filter((line) -> line.path("trace_id").asString("").equals("80f198ee56343ba864fe8b2a57d3eff7"))
			.toList();
		assertThat(requestLines).extracting((line) -> line.get("message").asString())
			.contains("Event received", "Event answered");
		assertThat(requestLines).filteredOn((line) -> line.get("message").asString().equals("Event answered"))
			.singleElement()
			.satisfies((line) -> assertThat(line.path("status").asInt()).isEqualTo(202));
		assertThat(requestLines).allSatisfy((line) -> {
			assertThat(line.path("request_id").asString()).isEqualTo("nsps-request-1");
			assertThat(line.path("event_id").asString()).isEqualTo("6f1c2a4e-1d0b-4a51-9a53-0c2f1e7b9d01");
			assertThat(line.path("event_type").asString()).isEqualTo("SIM/Created");
			assertThat(line.has("timestamp")).isTrue();
			assertThat(line.has("level")).isTrue();
		});
		assertThat(output.getOut()).doesNotContain("test-api-token", standIn.accessToken(), "olena.koval@example.com");
	}

	/**
	 * Posts NSPS's example SIM/Created event, as NSPS would, with the headers given as
	 * name, value, ...
	 */
	static HttpResponse<String> postExampleEvent(int port, String... headers) throws Exception {
		String event = Files.readString(Path.of("src/test/resources/nsps/events/sim-created.json"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/process-event"))
			.header("Authorization", "Bearer test-api-token")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(event))
			.timeout(Duration.ofSeconds(30));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
