package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.portaone.nsps.hubspot.client.HubSpotClients;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Narrowing a batch HubSpot refuses for data it does not pin on an input, over seeded
 * cases: no bad input, one, two, five, and a reason every input shares. A batch of 100
 * with one bad input costs at most 15 extra requests, and no batch more than 30; every
 * bad input is refused; with one or two bad inputs every other input is written.
 */
class BatchNarrowingTest {

	@RegisterExtension
	static WireMockExtension hubSpot = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().extensions(new RefusingBatches()))
		.build();

	/** The most extra requests seen, by kind of case, for the summary line. */
	private static final Map<Kind, Integer> MOST_EXTRA = new java.util.concurrent.ConcurrentSkipListMap<>();

	private SyncParts parts;

	@org.junit.jupiter.api.AfterAll
	static void summary() {
		System.out.println("NARROWING | most extra requests by case: " + MOST_EXTRA);
	}

	@AfterEach
	void stop() throws Exception {
		if (this.parts != null) {
			this.parts.close();
		}
	}

	static List<Long> seeds() {
		List<Long> seeds = new ArrayList<>();
		for (long seed = 1; seed <= 42; seed++) {
			seeds.add(seed);
		}
		return seeds;
	}

	@ParameterizedTest
	@MethodSource("seeds")
	void refusedBatchesAreNarrowedWithinTheirRequestBudget(long seed) throws Exception {
		Random random = new Random(seed);
		int size = (seed % 3 == 0) ? 2 + random.nextInt(99) : 100;
		List<ContactUpsert> upserts = SyncParts.created("narrow" + seed, size);
		Kind kind = Kind.values()[(int) (seed % Kind.values().length)];
		int badCount = switch (kind) {
			case NONE -> 0;
			case ONE -> 1;
			case TWO, TWO_ALIKE -> Math.min(2, size);
			case FIVE -> Math.min(5, size);
			case ALL_ALIKE -> size;
		};
		List<Integer> positions = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			positions.add(i);
		}
		java.util.Collections.shuffle(positions, random);
		Map<String, String> bad = new HashMap<>();
		for (int i = 0; i < badCount; i++) {
			String message = (kind == Kind.TWO_ALIKE || kind == Kind.ALL_ALIKE) ? "SHARED" : "option-" + i;
			bad.put(upserts.get(positions.get(i)).email().toLowerCase(Locale.ROOT), message);
		}
		hubSpot.resetAll();
		hubSpot.stubFor(
				post(urlEqualTo("/crm/v3/objects/contacts/batch/upsert")).willReturn(RefusingBatches.refusing(bad)));
		this.parts = SyncParts.start(
				HubSpotClients.settings(hubSpot.baseUrl() + "/crm/v3/objects/contacts", "test-access-token",
						Duration.ofSeconds(2), 1000.0, Duration.ofSeconds(2), 3, Duration.ofSeconds(1)),
				Duration.ofSeconds(20));
		// Straight to one round, as the dispatcher hands it one batch.
		List<List<PendingEvent>> batch = new ArrayList<>();
		for (ContactUpsert upsert : upserts) {
			PendingEvent event = new PendingEvent(upsert, Identity.ofAccount(upsert.account()), 0, batch.size(),
					Deadline.after(Duration.ofSeconds(20)), WriteSpans.EventSpan.NONE);
			this.parts.outcomes.track(event);
			batch.add(List.of(event));
		}
		this.parts.round.run(batch, this.parts.budget.acquire(Duration.ofSeconds(1)),
				new WriteSpans.Interval(System.nanoTime(), System.nanoTime()));
		List<SyncOutcome> outcomes = SyncParts
			.outcomes(batch.stream().map((events) -> events.get(0).outcome()).toList());
		int extra = hubSpot.getAllServeEvents().size() - 1;
		MOST_EXTRA.merge(kind, extra, Math::max);
		for (int i = 0; i < size; i++) {
			boolean isBad = bad.containsKey(upserts.get(i).email().toLowerCase(Locale.ROOT));
			SyncOutcome outcome = outcomes.get(i);
			if (isBad) {
				assertThat(outcome).as("seed %d, bad input %d", seed, i).isInstanceOf(SyncOutcome.Rejected.class);
			}
			else if (kind == Kind.NONE || kind == Kind.ONE || kind == Kind.TWO) {
				assertThat(outcome).as("seed %d, good input %d", seed, i).isEqualTo(new SyncOutcome.Synced());
			}
			else {
				assertThat(outcome).as("seed %d, good input %d", seed, i)
					.isInstanceOfAny(SyncOutcome.Synced.class, SyncOutcome.Rejected.class);
			}
		}
		assertThat(extra).as("seed %d (%s of %d): extra requests", seed, kind, size)
			.isLessThanOrEqualTo(ContactWriter.MAX_EXTRA_REQUESTS);
		switch (kind) {
			case NONE -> assertThat(extra).isZero();
			case ONE -> assertThat(extra).as("seed %d: one bad in %d", seed, size).isLessThanOrEqualTo(15);
			case ALL_ALIKE -> assertThat(extra).as("seed %d: a reason all %d share", seed, size).isLessThanOrEqualTo(4);
			default -> {
			}
		}
	}

	enum Kind {

		NONE, ONE, TWO, TWO_ALIKE, FIVE, ALL_ALIKE

	}

	/**
	 * A HubSpot that refuses a whole batch when it holds an input of the {@code bad}
	 * parameter (email to message), with that input's message, naming no input; and lists
	 * every input of any other batch as written.
	 */
	static final class RefusingBatches implements ResponseDefinitionTransformerV2 {

		static final String NAME = "refusing-batches";

		private static final JsonMapper JSON = JsonMapper.builder().build();

		private final EchoedBatchResults echo = new EchoedBatchResults();

		static ResponseDefinitionBuilder refusing(Map<String, String> bad) {
			return aResponse().withTransformers(NAME).withTransformerParameter("bad", bad);
		}

		@Override
		public String getName() {
			return NAME;
		}

		@Override
		public boolean applyGlobally() {
			return false;
		}

		@Override
		public ResponseDefinition transform(ServeEvent serveEvent) {
			Parameters parameters = serveEvent.getTransformerParameters();
			Map<?, ?> bad = (parameters.get("bad") instanceof Map<?, ?> map) ? map : Map.of();
			for (JsonNode input : JSON.readTree(serveEvent.getRequest().getBodyAsString()).path("inputs")) {
				Object message = bad.get(input.path("id").asString("").toLowerCase(Locale.ROOT));
				if (message != null) {
					String entry = "[{\"isValid\":false,\"message\":\"" + message
							+ " was not one of the allowed options\",\"error\":\"INVALID_OPTION\",\"name\":\"type\"}]";
					String body = "{\"status\":\"error\",\"message\":\"Property values were not valid: "
							+ entry.replace("\"", "\\\"")
							+ "\",\"correlationId\":\"x\",\"category\":\"VALIDATION_ERROR\"}";
					return ResponseDefinitionBuilder.like(serveEvent.getResponseDefinition())
						.but()
						.withStatus(400)
						.withHeader("Content-Type", "application/json")
						.withBody(body)
						.build();
				}
			}
			return this.echo.transform(serveEvent);
		}

	}

}
