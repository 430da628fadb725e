package com.portaone.nsps.hubspot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL midway through a stream of events, then a restart: a 202 means HubSpot holds
 * the contact, so every event acknowledged before the kill is there although the process
 * died without a chance to finish anything, and NSPS's redeliveries of the others to the
 * restarted connector bring HubSpot up to date.
 */
class CrashIT {

	private static final String API_TOKEN = "crash-api-token";

	private static final int EVENTS = 2000;

	private static final int SENDERS = 100;

	private static final int MAX_ATTEMPTS = 60;

	private static final Duration DELIVERY_BOUND = Duration.ofSeconds(120);

	@Test
	void eventsAcknowledgedBeforeSigkillAreInHubSpotAndRedeliveriesCompleteTheRest() throws Exception {
		try (HubSpotStandIn standIn = HubSpotStandIn.start(0)) {
			standIn.setLatency(Duration.ofMillis(150), 0.2);
			Map<String, String> environment = Map.of("API_TOKEN", API_TOKEN, "ACCESS_TOKEN", standIn.accessToken(),
					"EXTERNAL_API_BASE_URL", standIn.contactsUrl(), "HUBSPOT_WRITE_MODE", "batch", "LOG_LEVEL", "WARN",
					"HTTP_TIMEOUT_SECONDS", "2", "EVENT_DEADLINE_SECONDS", "10");
			Path target = Files.createDirectories(Path.of("target"));
			String run = "crash" + Long.toString(System.currentTimeMillis(), 36);
			List<Integer> events = IntStream.range(0, EVENTS).boxed().toList();
			long start = System.nanoTime();

			NspsSenders beforeKill = new NspsSenders(API_TOKEN, MAX_ATTEMPTS, Duration.ofSeconds(30));
			ConnectorProcess first = ConnectorProcess.start(environment, target.resolve("crash-connector-1.log"));
			CompletableFuture<Boolean> firstRun;
			try {
				firstRun = CompletableFuture.supplyAsync(() -> deliver(beforeKill, first, run, events));
				// About midway, while events are queued and in flight to HubSpot.
				long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
				while (beforeKill.acknowledgedCount() < EVENTS / 2 && !firstRun.isDone() && System.nanoTime() < end) {
					Thread.sleep(5);
				}
				first.kill();
			}
			finally {
				if (first.isAlive()) {
					first.kill();
				}
			}
			beforeKill.stop();
			firstRun.get(DELIVERY_BOUND.toSeconds(), TimeUnit.SECONDS);
			Set<Integer> acknowledgedBeforeKill = beforeKill.acknowledged();
			Set<Integer> inFlightAtKill = new HashSet<>(beforeKill.started());
			inFlightAtKill.removeAll(acknowledgedBeforeKill);
			// Checked at once: nothing the dead process held may count.
			List<String> lostAfterAcknowledgement = NspsSenders.wrongContacts(standIn, run, acknowledgedBeforeKill);

			List<Integer> unacknowledged = events.stream().filter((n) -> !acknowledgedBeforeKill.contains(n)).toList();
			NspsSenders afterRestart = new NspsSenders(API_TOKEN, MAX_ATTEMPTS, Duration.ofSeconds(30));
			boolean finished;
			try (ConnectorProcess second = ConnectorProcess.start(environment,
					target.resolve("crash-connector-2.log"))) {
				finished = afterRestart.deliver(second, run, unacknowledged, SENDERS, DELIVERY_BOUND);
			}
			List<String> wrongAtEnd = NspsSenders.wrongContacts(standIn, run, events);
			System.out.printf(Locale.ROOT,
					"crash: events %d, acknowledged before kill %d, in flight at kill %d, not yet sent at kill %d,"
							+ " lost after acknowledgement %d, redelivered after restart %d (acknowledged %d,"
							+ " given up %d, answers by status %s), missing or wrong at the end %d, HubSpot requests %d,"
							+ " run %.1f s%n",
					EVENTS, acknowledgedBeforeKill.size(), inFlightAtKill.size(), EVENTS - beforeKill.started().size(),
					lostAfterAcknowledgement.size(), unacknowledged.size(), afterRestart.acknowledgedCount(),
					afterRestart.gaveUp().size(), afterRestart.statuses(), wrongAtEnd.size(), standIn.requestCount(),
					(System.nanoTime() - start) / 1e9);

			assertThat(acknowledgedBeforeKill).as("acknowledged before the kill").isNotEmpty();
			assertThat(acknowledgedBeforeKill.size()).as("acknowledged before the kill").isLessThan(EVENTS);
			assertThat(lostAfterAcknowledgement).as("events acknowledged before the kill but not in HubSpot").isEmpty();
			assertThat(beforeKill.statuses().keySet()).as("answers before the kill").isSubsetOf(202, 429, 503);
			assertThat(finished).as("redeliveries finished within their bound").isTrue();
			assertThat(afterRestart.gaveUp()).as("events given up after the restart").isEmpty();
			assertThat(afterRestart.acknowledgedCount()).as("redelivered events acknowledged")
				.isEqualTo(unacknowledged.size());
			assertThat(afterRestart.statuses().keySet()).as("answers after the restart").isSubsetOf(202, 429, 503);
			assertThat(wrongAtEnd).as("events missing or wrong in HubSpot at the end").isEmpty();
		}
	}

	private static boolean deliver(NspsSenders senders, ConnectorProcess connector, String run, List<Integer> events) {
		try {
			return senders.deliver(connector, run, events, SENDERS, DELIVERY_BOUND);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
