package com.portaone.nsps.hubspot;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar with {@code OTEL_EXPORTER_OTLP_ENDPOINT} pointing at a small OTLP/HTTP
 * receiver in this test, which decodes each export with the {@code opentelemetry-proto}
 * classes: the server span of an event that came with NSPS's {@code x-b3-traceid} alone
 * carries that trace id, the HubSpot request is a client span under the write's span, and
 * the write's span links to the event's server span. Without the variable the same jar
 * exports nothing and logs nothing about export.
 */
class TracingIT {

	private static final String API_TOKEN = "tracing-api-token";

	@Test
	void spansReachTheCollectorWithNspsTraceIdKindsAndLinks() throws Exception {
		List<Span> received = Collections.synchronizedList(new ArrayList<>());
		List<String> contentTypes = Collections.synchronizedList(new ArrayList<>());
		HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		collector.createContext("/v1/traces", (exchange) -> {
			contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
			ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody());
			for (ResourceSpans resource : request.getResourceSpansList()) {
				for (ScopeSpans scope : resource.getScopeSpansList()) {
					received.addAll(scope.getSpansList());
				}
			}
			exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		collector.start();
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "OTEL_EXPORTER_OTLP_ENDPOINT",
					"http://127.0.0.1:" + collector.getAddress().getPort(), "OTEL_BSP_SCHEDULE_DELAY", "200");
			Path log = Files.createDirectories(Path.of("target")).resolve("tracing-connector.log");
			String traceId = "0af7651916cd43dd8448eb211c80319c";
			try (ConnectorProcess connector = ConnectorProcess.start(environment, log)) {
				HttpResponse<Void> answer = HttpClient.newHttpClient()
					.send(connector.request("/process-event")
						.header("Content-Type", "application/json")
						.header("x-b3-traceid", traceId)
						.POST(HttpRequest.BodyPublishers.ofString(SimEvents.created("tracing", 1)))
						.build(), HttpResponse.BodyHandlers.discarding());
				assertThat(answer.statusCode()).isEqualTo(202);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> received.stream().anyMatch((span) -> span.getName().equals("hubspot write")));
			}
			HexFormat hex = HexFormat.of();
			Span server = received.stream()
				.filter((span) -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
				.filter((span) -> hex.formatHex(span.getTraceId().toByteArray()).equals(traceId))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no server span of trace " + traceId + " in " + received));
			Span write = received.stream()
				.filter((span) -> span.getName().equals("hubspot write"))
				.findFirst()
				.orElseThrow();
			assertThat(write.getParentSpanId()).isEqualTo(server.getSpanId());
			assertThat(received).filteredOn((span) -> span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
				.anySatisfy((span) -> assertThat(span.getParentSpanId()).isEqualTo(write.getSpanId()));
			assertThat(contentTypes).allSatisfy((type) -> assertThat(type).startsWith("application/x-protobuf"));
			assertThat(Files.readString(log)).doesNotContain("Failed to export");
		}
		finally {
			collector.stop(0);
		}
	}

	@Test
	void withoutAnEndpointNothingIsExportedAndNothingLogged() throws Exception {
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl());
			Path log = Files.createDirectories(Path.of("target")).resolve("tracing-off-connector.log");
			try (ConnectorProcess connector = ConnectorProcess.start(environment, log)) {
				HttpResponse<Void> answer = HttpClient.newHttpClient()
					.send(connector.request("/process-event")
						.header("Content-Type", "application/json")
						.header("x-b3-traceid", "463ac35c9f6413ad")
						.POST(HttpRequest.BodyPublishers.ofString(SimEvents.created("tracing-off", 1)))
						.build(), HttpResponse.BodyHandlers.discarding());
				assertThat(answer.statusCode()).isEqualTo(202);
			}
			String lines = Files.readString(log);
			assertThat(lines).doesNotContainIgnoringCase("export").doesNotContain("4318");
			// The trace id of the logs is NSPS's, as it came.
			assertThat(lines).contains("\"trace_id\":\"463ac35c9f6413ad\"");
		}
	}

}
