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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of 60 concurrent events against the packaged jar and a stand-in that enforces
 * HubSpot's 100 requests per rolling 10 s: every event is answered 202 or 429 (none
 * hangs, none 5xx), HubSpot sees at most 100 requests in any 10 s and answers no 429, and
 * every acknowledged event is in HubSpot.
 */
class RunningJarBurstIT {

	private static final int EVENTS = 60;

	private static final String API_TOKEN = "burst-api-token";

	@ParameterizedTest
	@ValueSource(strings = { "single", "batch" })
	void burstOfSixtyConcurrentEventsStaysWithinHubSpotsLimit(String writeMode) throws Exception {
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			standIn.setLatency(Duration.ofMillis(150), 0.2);
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "HUBSPOT_WRITE_MODE", writeMode);
			try (ConnectorProcess connector = ConnectorProcess.start(environment,
					Files.createDirectories(Path.of("target")).resolve("burst-connector-" + writeMode + ".log"))) {
				HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				String run = Long.toString(System.currentTimeMillis(), 36);
				List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
				for (int n = 0; n < EVENTS; n++) {
					HttpRequest request = HttpRequest.newBuilder(connector.uri("/process-event"))
						.header("Authorization", "Bearer " + API_TOKEN)
						.header("Content-Type", "application/json")
						.timeout(Duration.ofSeconds(60))
						.POST(HttpRequest.BodyPublishers.ofString(SimEvents.created(run, n)))
						.build();
					answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
				}
				CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

				Map<Integer, Integer> statuses = new TreeMap<>();
				List<Integer> acknowledged = new ArrayList<>();
				for (int n = 0; n < EVENTS; n++) {
					int status = answers.get(n).get().statusCode();
					statuses.merge(status, 1, Integer::sum);
					if (status == 202) {
						acknowledged.add(n);
					}
				}
				int busiestWindow = standIn.maxRequestsInAnyWindow(Duration.ofSeconds(10));
				System.out.printf(
						"burst, %s mode: %d events, answers by status %s, HubSpot requests %d, most in any 10 s %d,"
								+ " HubSpot 429s %d, acknowledged missing from HubSpot %d%n",
						writeMode, EVENTS, statuses, standIn.requestCount(), busiestWindow, standIn.rateLimitedCount(),
						acknowledged.stream()
							.filter((n) -> standIn.contact(SimEvents.email(run, n)).isEmpty())
							.count());

				assertThat(statuses.keySet()).isSubsetOf(202, 429);
				assertThat(busiestWindow).isLessThanOrEqualTo(100);
				assertThat(standIn.rateLimitedCount()).isZero();
				assertThat(acknowledged).isNotEmpty()
					.allSatisfy((n) -> assertThat(standIn.contact(SimEvents.email(run, n)))
						.hasValueSatisfying((contact) -> assertThat(contact).containsEntry("firstname", "First" + n)
							.containsEntry("account_id", Long.toString(SimEvents.account(run, n)))
							.containsEntry("has_add_ons", "true")
							.containsEntry("type", "CREDIT ACCOUNT")));
			}
		}
	}

}
