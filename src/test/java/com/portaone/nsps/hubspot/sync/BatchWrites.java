package com.portaone.nsps.hubspot.sync;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.sync.SyncSettings.WriteMode;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.portaone.nsps.hubspot.sync.HubSpotWrites.CONTACTS;
import static com.portaone.nsps.hubspot.sync.HubSpotWrites.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch-mode engine built from the real client, budget, attempts and writers, and
 * checks of the batch upserts HubSpot saw.
 */
final class BatchWrites {

	static final String BATCH_UPSERT = CONTACTS + "/batch/upsert";

	static final JsonMapper JSON = JsonMapper.builder().build();

	private BatchWrites() {
	}

	/** A batch-mode engine and its request budget. */
	record BatchEngine(SyncEngine engine, HubSpotRequestBudget budget) {

		/** As {@link HubSpotWrites#engine}, in batch mode, keeping the budget at hand. */
		static BatchEngine start(HubSpotSettings settings, Duration eventDeadline) {
			HubSpotWrites.Engine engine = HubSpotWrites.Engine.start(settings, eventDeadline, WriteMode.BATCH);
			return new BatchEngine(engine.engine(), engine.budget());
		}

		List<CompletableFuture<SyncOutcome>> submit(List<ContactUpsert> upserts) {
			List<CompletableFuture<SyncOutcome>> futures = new ArrayList<>();
			upserts.forEach((upsert) -> futures.add(this.engine.submit(upsert)));
			return futures;
		}

		/**
		 * Submits the events so that they leave in one batch: with the budget's next
		 * permit taken here, the dispatcher waits a permit spacing before it takes what
		 * is queued, and submitting takes far less.
		 */
		List<CompletableFuture<SyncOutcome>> submitTogether(List<ContactUpsert> upserts) {
			this.budget.acquire(Duration.ofSeconds(5));
			return submit(upserts);
		}

		void destroy() throws InterruptedException {
			this.engine.destroy();
		}

	}

	/** An event with the usual properties of a SIM/Created. */
	static ContactUpsert event(String eventId, String email, @Nullable LocalDateTime eventTime) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("email", email);
		properties.put("firstname", "Olena");
		properties.put("lastname", "Kovalenko");
		properties.put("account_id", "277147");
		properties.put("imsi", "255011234567890");
		return new ContactUpsert(eventId, "SIM/Created", email, properties, eventTime);
	}

	static List<ContactUpsert> events(String prefix, int count) {
		List<ContactUpsert> events = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			events.add(event(prefix + "-evt-" + i, prefix + "-" + i + "@example.com", null));
		}
		return events;
	}

	static List<SyncOutcome> outcomes(List<CompletableFuture<SyncOutcome>> futures) throws Exception {
		List<SyncOutcome> outcomes = new ArrayList<>();
		for (CompletableFuture<SyncOutcome> future : futures) {
			outcomes.add(future.get(30, TimeUnit.SECONDS));
		}
		return outcomes;
	}

	/**
	 * Checks that the request is a batch upsert by email as HubSpot takes it.
	 * @return its inputs
	 */
	static List<JsonNode> batchInputs(LoggedRequest request) {
		assertThat(request.getMethod().getName()).isEqualTo("POST");
		assertThat(URI.create(request.getUrl()).getPath()).isEqualTo(BATCH_UPSERT);
		assertThat(request.getQueryParams()).isEmpty();
		assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
		assertThat(request.getHeader("Content-Type")).startsWith("application/json");
		JsonNode body = JSON.readTree(request.getBodyAsString());
		assertThat(body.propertyNames()).containsExactly("inputs");
		List<JsonNode> inputs = new ArrayList<>();
		body.get("inputs").forEach(inputs::add);
		assertThat(inputs).isNotEmpty();
		return inputs;
	}

	/**
	 * Checks that the input writes exactly this event's properties, as strings, by email,
	 * traced by the event id.
	 */
	static void assertInput(JsonNode input, ContactUpsert upsert) {
		assertThat(input.propertyNames()).containsExactlyInAnyOrder("idProperty", "id", "properties",
				"objectWriteTraceId");
		assertThat(input.get("idProperty").stringValue()).isEqualTo("email");
		assertThat(input.get("id").stringValue()).isEqualTo(upsert.email());
		assertThat(input.get("objectWriteTraceId").stringValue()).isEqualTo(upsert.eventId());
		// Tree equality is type-strict: "277147" is not 277147.
		assertThat(input.get("properties")).isEqualTo(JSON.valueToTree(upsert.properties()));
	}

	/** Every input of every request, keyed by its id. */
	static Map<String, JsonNode> inputsById(List<LoggedRequest> requests) {
		Map<String, JsonNode> byId = new LinkedHashMap<>();
		for (LoggedRequest request : requests) {
			for (JsonNode input : batchInputs(request)) {
				assertThat(byId.put(input.get("id").stringValue(), input)).as("input %s sent twice", input).isNull();
			}
		}
		return byId;
	}

	/** Waits until HubSpot has seen {@code count} requests. */
	static void awaitRequests(IntSupplier requestCount, int count) throws InterruptedException {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (requestCount.getAsInt() < count) {
			assertThat(System.nanoTime()).as("HubSpot saw %d requests in time", count).isLessThan(end);
			TimeUnit.MILLISECONDS.sleep(2);
		}
	}

	static HubSpotSettings settings(String baseUrl, double requestsPerSecond) {
		return HubSpotWrites.settings(baseUrl, Duration.ofSeconds(2), requestsPerSecond, Duration.ofSeconds(2), 3);
	}

}
