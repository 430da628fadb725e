package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.portaone.nsps.hubspot.client.HubSpotClients;
import com.portaone.nsps.hubspot.client.HubSpotOpenApi;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.standin.Fault;
import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the connector writes, against the HubSpot stand-in (record ids, batch upsert by
 * email, batch update by id, 409 for a taken email), reached through a WireMock proxy
 * that holds every request to HubSpot's OpenAPI file: coalescing, one input per contact,
 * one write per contact at a time, identity by subscriber and its email changes, and only
 * changes written.
 */
class ContactWriterTest {

	private static final String TOKEN = "test-access-token";

	private static final String CONTACTS = "/crm/v3/objects/contacts";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SyncOutcome SYNCED = new SyncOutcome.Synced();

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

	private static HubSpotStandIn standIn;

	private SyncParts parts;

	@BeforeAll
	static void startStandIn() {
		standIn = HubSpotStandIn.start(0, TOKEN);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@AfterEach
	void validateEveryRequest() throws Exception {
		if (this.parts != null) {
			this.parts.close();
		}
		standIn.reset();
		standIn.setLatency(Duration.ZERO, 0);
		HubSpotOpenApi.assertRequestsValid(hubSpot.getAllServeEvents());
	}

	private SyncParts start(WriteMode mode, Duration unchangedTtl) {
		return start(mode, unchangedTtl, Duration.ofSeconds(2));
	}

	private SyncParts start(WriteMode mode, Duration unchangedTtl, Duration timeout) {
		hubSpot.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(standIn.baseUrl())));
		HubSpotSettings settings = HubSpotClients.settings(hubSpot.baseUrl() + CONTACTS, TOKEN, timeout, 10.0,
				Duration.ofSeconds(5), 3, Duration.ofSeconds(1));
		this.parts = new SyncParts(settings, SyncParts.sync(Duration.ofSeconds(10), mode, unchangedTtl),
				ContactStore.inProcess(new StoreSettings(1000, Duration.ofDays(1))), ContactLocks.IN_PROCESS);
		return this.parts;
	}

	private SyncParts start() {
		return start(WriteMode.BATCH, Duration.ofHours(24));
	}

	@Test
	void concurrentEventsAreCoalescedIntoFewBatchUpsertsOneInputEachAsHubSpotTakesIt() throws Exception {
		standIn.setLatency(Duration.ofMillis(100), 0.2);
		List<ContactUpsert> upserts = SyncParts.created("burst", 50);
		assertThat(SyncParts.outcomes(start().submit(upserts))).hasSize(50).containsOnly(SYNCED);
		List<LoggedRequest> requests = requests();
		// One request per event would be 50; a permit every ~105 ms gathers the rest.
		assertThat(requests).hasSizeBetween(1, 5);
		int inputs = 0;
		for (LoggedRequest request : requests) {
			assertThat(request.getUrl()).isEqualTo(CONTACTS + "/batch/upsert");
			for (JsonNode input : JSON.readTree(request.getBodyAsString()).path("inputs")) {
				inputs++;
				assertThat(input.get("idProperty").stringValue()).isEqualTo("email");
				assertThat(input.get("properties").get("email").stringValue()).isEqualTo(input.get("id").stringValue());
			}
		}
		assertThat(inputs).isEqualTo(50);
		for (ContactUpsert upsert : upserts) {
			assertThat(standIn.contact(upsert.email()))
				.hasValueSatisfying((contact) -> assertThat(contact).containsAllEntriesOf(upsert.properties()));
		}
	}

	@Test
	void singleModeIsABatchUpsertOfOneInput() throws Exception {
		List<ContactUpsert> upserts = SyncParts.created("single", 3);
		assertThat(SyncParts.outcomes(start(WriteMode.SINGLE, Duration.ofHours(24)).submitTogether(upserts)))
			.containsOnly(SYNCED);
		assertThat(requests()).hasSize(3)
			.allSatisfy((request) -> assertThat(JSON.readTree(request.getBodyAsString()).path("inputs")).hasSize(1));
	}

	@Test
	void eventsQueuedForOneSubscriberAreMergedIntoOneInputTheLaterEventTimeWinning() throws Exception {
		LocalDateTime time = LocalDateTime.of(2026, 5, 1, 12, 0);
		ContactUpsert newerData = SyncParts.updated("merge-1", 7L, "MERGE@example.com", time.plusMinutes(5),
				Map.of("firstname", "Newer"));
		ContactUpsert olderData = SyncParts.updated("merge-2", 7L, "merge@example.com", time,
				Map.of("firstname", "Older", "lastname", "Only"));
		assertThat(SyncParts.outcomes(start().submitTogether(List.of(newerData, olderData)))).containsOnly(SYNCED);
		assertThat(requests()).hasSize(1);
		assertThat(standIn.contact("merge@example.com")).hasValueSatisfying((contact) -> {
			assertThat(contact).containsEntry("firstname", "Newer").containsEntry("lastname", "Only");
		});
	}

	@Test
	void anEmailChangeMovesTheSubscribersContactToTheNewEmailByItsRecordId() throws Exception {
		LocalDateTime time = LocalDateTime.of(2026, 5, 1, 12, 0);
		SyncParts parts = start();
		assertThat(parts.engine.submit(SyncParts.created("change-1", 710001L, "a.old@example.com", time))
			.get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
		String recordId = standIn.contacts().get(0).id();
		assertThat(parts.engine
			.submit(SyncParts.updated("change-2", 710001L, "a.new@example.com", time.plusMinutes(1),
					Map.of("firstname", "Oksana")))
			.get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
		assertThat(standIn.contacts()).singleElement().satisfies((contact) -> {
			assertThat(contact.id()).isEqualTo(recordId);
			assertThat(contact.properties()).containsEntry("email", "a.new@example.com")
				.containsEntry("firstname", "Oksana")
				.containsEntry("imsi", "255011234567890");
		});
		assertThat(requests().get(1).getUrl()).isEqualTo(CONTACTS + "/batch/update");
		// A late event with the old email neither brings it back nor makes a contact for
		// it.
		assertThat(parts.engine
			.submit(SyncParts.updated("change-0", null, "a.old@example.com", time.plusSeconds(30),
					Map.of("lastname", "Late")))
			.get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
		assertThat(standIn.contacts()).singleElement().satisfies((contact) -> {
			assertThat(contact.properties()).containsEntry("email", "a.new@example.com")
				.containsEntry("lastname", "Late");
		});
	}

	@Test
	void anEmailAnotherContactHoldsSendsTheSubscribersDataThereAndLeavesTheOldContactAlone() throws Exception {
		LocalDateTime time = LocalDateTime.of(2026, 5, 1, 12, 0);
		String taken = standIn.putContact(Map.of("email", "taken@example.com", "firstname", "Someone"));
		SyncParts parts = start();
		parts.engine.submit(SyncParts.created("taken-1", 710002L, "mine@example.com", time)).get(10, TimeUnit.SECONDS);
		String mine = standIn.contacts().stream().filter((c) -> !c.seeded()).findFirst().orElseThrow().id();
		assertThat(parts.engine
			.submit(SyncParts.updated("taken-2", 710002L, "taken@example.com", time.plusMinutes(1),
					Map.of("firstname", "Oksana")))
			.get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
		assertThat(standIn.contacts()).hasSize(2);
		assertFirstname("taken@example.com", "Oksana");
		assertFirstname("mine@example.com", "Olena");
		assertThat(parts.registry.counter(ConnectorMetrics.EMAIL_CONFLICTS).count()).isEqualTo(1);
		// The subscriber's contact is the one that holds its email now.
		assertThat(parts.store.snapshot(List.of("a:710002"), List.of()).states().get("a:710002").recordId())
			.isEqualTo(taken)
			.isNotEqualTo(mine);
	}

	@Test
	void aContactDeletedInHubSpotIsWrittenByEmailAgain() throws Exception {
		LocalDateTime time = LocalDateTime.of(2026, 5, 1, 12, 0);
		SyncParts parts = start();
		parts.engine.submit(SyncParts.created("gone-1", 710003L, "gone@example.com", time)).get(10, TimeUnit.SECONDS);
		standIn.deleteContact("gone@example.com");
		assertThat(parts.engine
			.submit(SyncParts.updated("gone-2", 710003L, "back@example.com", time.plusMinutes(1),
					Map.of("firstname", "Back")))
			.get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
		assertFirstname("back@example.com", "Back");
	}

	@Test
	void valuesHubSpotHoldsAreNotSentAgainWithinTheTtl() throws Exception {
		LocalDateTime time = LocalDateTime.of(2026, 5, 1, 12, 0);
		SyncParts parts = start();
		parts.engine.submit(SyncParts.created("same-1", 710004L, "same@example.com", time)).get(10, TimeUnit.SECONDS);
		int before = requests().size();
		// The same values again, and a status change that maps to nothing new.
		assertThat(parts.engine.submit(SyncParts.created("same-2", 710004L, "same@example.com", time.plusMinutes(1)))
			.get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
		assertThat(requests()).hasSize(before);
		// Counted just after the answer, on the answering thread.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(
					() -> assertThat(parts.registry.counter(ConnectorMetrics.EVENTS_UNCHANGED).count()).isEqualTo(1));
		// Only the changed property goes, with the email that addresses the contact.
		parts.engine.submit(SyncParts.updated("same-3", 710004L, "same@example.com", time.plusMinutes(2),
				Map.of("firstname", "Olena", "lastname", "Changed")))
			.get(10, TimeUnit.SECONDS);
		List<LoggedRequest> requests = requests();
		assertThat(requests).hasSize(before + 1);
		assertThat(JSON.readTree(requests.get(before).getBodyAsString()).path("inputs").get(0).get("properties"))
			.isEqualTo(JSON.valueToTree(Map.of("email", "same@example.com", "lastname", "Changed")));
	}

	@Test
	void aValueHubSpotMayHoldFromAWriteNeverConfirmedIsNotTakenForUnchanged() throws Exception {
		LocalDateTime time = LocalDateTime.of(2026, 5, 1, 12, 0);
		SyncParts parts = start(WriteMode.BATCH, Duration.ofHours(24), Duration.ofMillis(300));
		parts.engine
			.submit(SyncParts.updated("doubt-1", 710006L, "doubt@example.com", time, Map.of("firstname", "Olena")))
			.get(10, TimeUnit.SECONDS);
		// HubSpot applies the next write after the client gave up on it, and refuses
		// every retry: the event fails, and HubSpot holds its value all the same.
		standIn.setHangDuration(Duration.ofMillis(600));
		standIn.injectFaults(Fault.LATE_WRITE, 1);
		standIn.setFaultRate(Fault.UNAVAILABLE_503, 1);
		assertThat(parts.engine
			.submit(SyncParts.updated("doubt-2", 710006L, "doubt@example.com", time.plusMinutes(1),
					Map.of("firstname", "Changed")))
			.get(10, TimeUnit.SECONDS)).isNotEqualTo(SYNCED);
		standIn.setFaultRate(Fault.UNAVAILABLE_503, 0);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertFirstname("doubt@example.com", "Changed"));
		// The newest event carries the value confirmed before: it is written, not
		// skipped as one HubSpot holds.
		assertThat(parts.engine
			.submit(SyncParts.updated("doubt-3", 710006L, "doubt@example.com", time.plusMinutes(2),
					Map.of("firstname", "Olena")))
			.get(10, TimeUnit.SECONDS)).isEqualTo(SYNCED);
		assertFirstname("doubt@example.com", "Olena");
	}

	@Test
	void withoutTheTtlEveryValueIsSent() throws Exception {
		LocalDateTime time = LocalDateTime.of(2026, 5, 1, 12, 0);
		SyncParts parts = start(WriteMode.BATCH, Duration.ZERO);
		parts.engine.submit(SyncParts.created("all-1", 710005L, "all@example.com", time)).get(10, TimeUnit.SECONDS);
		parts.engine.submit(SyncParts.created("all-2", 710005L, "all@example.com", time.plusMinutes(1)))
			.get(10, TimeUnit.SECONDS);
		assertThat(requests()).hasSize(2);
	}

	private static void assertFirstname(String email, String firstname) {
		assertThat(standIn.contact(email))
			.hasValueSatisfying((contact) -> assertThat(contact).containsEntry("firstname", firstname));
	}

	private static List<LoggedRequest> requests() {
		return hubSpot.findAll(anyRequestedFor(anyUrl()))
			.stream()
			.filter((request) -> request.getUrl().startsWith(CONTACTS))
			.toList();
	}

}
