package com.portaone.nsps.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.api.common.AttributeKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces, with tracing on and an in-memory exporter: each event's server span continues
 * NSPS's trace from its {@code x-b3-traceid} alone (and W3C and full B3 headers as
 * usual); the write that carried events is a span of its own that links to each event's
 * server span, which names it back; the wait for a permit and each HubSpot request are
 * spans under it; the logs carry the span's trace and span ids.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.opentelemetry.enabled=true",
				"management.opentelemetry.tracing.export.schedule-delay=50ms",
				// Levels outlive a test's context; another test may have quietened these.
				"logging.level.com.portaone.nsps.hubspot=INFO" })
@ExtendWith(OutputCaptureExtension.class)
class TracingTest {

	static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final AttributeKey<String> WRITE_TRACE = AttributeKey.stringKey("hubspot.write.trace_id");

	private static final AttributeKey<String> WRITE_SPAN = AttributeKey.stringKey("hubspot.write.span_id");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private InMemorySpanExporter spans;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
		registry.add("connector.hubspot.requests-per-second", () -> "100");
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@BeforeEach
	void clear() {
		this.spans.reset();
	}

	@Test
	void anEventsServerSpanContinuesNspsTraceAndItsWriteIsFoundFromIt(CapturedOutput output) throws Exception {
		String traceId = "463ac35c9f6413ad48485a3953bb6124";
		assertThat(post("x-b3-traceid", traceId)).isEqualTo(202);
		SpanData server = awaitServerSpan(traceId);
		SpanData write = awaitSpan("hubspot write");
		// From the event's trace to the write, and back.
		assertThat(server.getAttributes().get(WRITE_TRACE)).isEqualTo(write.getTraceId());
		assertThat(server.getAttributes().get(WRITE_SPAN)).isEqualTo(write.getSpanId());
		assertThat(write.getParentSpanId()).isEqualTo(server.getSpanId());
		List<SpanData> all = this.spans.getFinishedSpanItems();
		assertThat(all).filteredOn((span) -> span.getKind() == SpanKind.CLIENT)
			.filteredOn((span) -> span.getParentSpanId().equals(write.getSpanId()))
			.isNotEmpty()
			.allSatisfy((span) -> assertThat(span.getTraceId()).isEqualTo(write.getTraceId()));
		assertThat(all).filteredOn((span) -> span.getName().equals("hubspot budget wait"))
			.anySatisfy((span) -> assertThat(span.getParentSpanId()).isEqualTo(write.getSpanId()));
		// The logs name the span's trace and span.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getOut()).contains("\"trace_id\":\"" + traceId + "\"")
				.contains("\"span_id\":\"" + server.getSpanId() + "\""));
	}

	@Test
	void aBatchLinksToTheSpanOfEveryEventItCarries() throws Exception {
		List<String> traces = List.of("11111111111111111111111111111111", "22222222222222222222222222222222",
				"33333333333333333333333333333333");
		List<Thread> senders = traces.stream().map((trace) -> new Thread(() -> post("x-b3-traceid", trace))).toList();
		senders.forEach(Thread::start);
		for (Thread sender : senders) {
			sender.join(10_000);
		}
		for (String trace : traces) {
			SpanData server = awaitServerSpan(trace);
			String writeSpan = server.getAttributes().get(WRITE_SPAN);
			SpanData write = this.spans.getFinishedSpanItems()
				.stream()
				.filter((span) -> span.getSpanId().equals(writeSpan))
				.findFirst()
				.orElseThrow();
			boolean linked = write.getLinks()
				.stream()
				.map(LinkData::getSpanContext)
				.anyMatch((context) -> context.getSpanId().equals(server.getSpanId()));
			assertThat(linked || write.getParentSpanId().equals(server.getSpanId()))
				.as("the write's span links to the event's %s", trace)
				.isTrue();
		}
	}

	@Test
	void w3cAndCompleteB3HeadersAreHonouredAsUsual() throws Exception {
		assertThat(post("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).isEqualTo(202);
		SpanData w3c = awaitServerSpan("0af7651916cd43dd8448eb211c80319c");
		assertThat(w3c.getParentSpanId()).isEqualTo("b7ad6b7169203331");
		assertThat(post("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1")).isEqualTo(202);
		SpanData b3 = awaitServerSpan("80f198ee56343ba864fe8b2a57d3eff7");
		assertThat(b3.getParentSpanId()).isEqualTo("e457b5a2e4d86bd1");
	}

	private int post(String header, String value) {
		String body;
		try {
			body = Files.readString(Path.of("src/test/resources/nsps/events/sim-created.json"))
				.replace("6f1c2a4e-1d0b-4a51-9a53-0c2f1e7b9d01", UUID.randomUUID().toString())
				.replace("olena.koval@example.com", "trace-" + UUID.randomUUID() + "@example.com")
				.replace("277147",
						Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L)));
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/process-event"))
				.header("Authorization", "Bearer test-api-token")
				.header("Content-Type", "application/json")
				.header(header, value)
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private SpanData awaitServerSpan(String traceId) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> this.spans.getFinishedSpanItems()
				.stream()
				.filter((span) -> span.getKind() == SpanKind.SERVER && span.getTraceId().equals(traceId))
				.findFirst()
				.orElse(null), (span) -> span != null);
	}

	private SpanData awaitSpan(String name) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> this.spans.getFinishedSpanItems()
				.stream()
				.filter((span) -> span.getName().equals(name))
				.findFirst()
				.orElse(null), (span) -> span != null);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class InMemorySpans {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

}
