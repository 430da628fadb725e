package com.portaone.nsps.hubspot;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM while events are in flight, as Kubernetes stops a pod: every request already
 * received is still synced and answered, and the process then exits.
 */
class GracefulShutdownIT {

	private static final String API_TOKEN = "shutdown-api-token";

	@Test
	void eventsInFlightAtSigtermAreSyncedAndAnswered() throws Exception {
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			// Slow enough that the events are still in flight when SIGTERM arrives.
			standIn.setLatency(Duration.ofMillis(1500), 0);
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl());
			ConnectorProcess connector = ConnectorProcess.start(environment,
					Files.createDirectories(Path.of("target")).resolve("shutdown-connector.log"));
			HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			String run = "sigterm" + Long.toString(System.currentTimeMillis(), 36);
			List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
			for (int n = 0; n < 8; n++) {
				answers.add(http.sendAsync(HttpRequest.newBuilder(connector.uri("/process-event"))
					.header("Authorization", "Bearer " + API_TOKEN)
					.header("Content-Type", "application/json")
					.timeout(Duration.ofSeconds(40))
					.POST(HttpRequest.BodyPublishers.ofString(SimEvents.created(run, n)))
					.build(), HttpResponse.BodyHandlers.ofString()));
			}
			// SIGTERM once the connector holds all of them and HubSpot is busy with some:
			// a
			// request still in a socket buffer at SIGTERM is not received (Kubernetes
			// stops
			// routing to the pod during preStop, before the signal).
			while (standIn.requestCount() == 0 || connector.metric(http, "nsps.events.in.flight")
					+ answers.stream().filter(CompletableFuture::isDone).count() < answers.size()) {
				Thread.sleep(20);
			}

			connector.stop(Duration.ofSeconds(60));

			CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			for (int n = 0; n < answers.size(); n++) {
				assertThat(answers.get(n).get().statusCode()).as("answer to event %d", n).isEqualTo(202);
				assertThat(standIn.contact(SimEvents.email(run, n))).as("contact of event %d", n).isPresent();
			}
			assertThat(connector.isAlive()).isFalse();
		}
	}

}
