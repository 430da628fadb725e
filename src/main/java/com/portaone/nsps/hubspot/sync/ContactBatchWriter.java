package com.portaone.nsps.hubspot.sync;

import java.util.List;

import com.portaone.nsps.hubspot.hubspot.BatchUpsertResult;
import com.portaone.nsps.hubspot.hubspot.HubSpotContactsClient;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Writes a batch of contacts with one batch upsert by email and answers every event in
 * it. HubSpot refuses a whole batch for one bad input, so such a batch is split in halves
 * until the bad input stands alone (a handful of requests, not one per contact); failures
 * that concern every input (a missing property, a refused token, HubSpot down) answer
 * them all without splitting.
 */
@Component
class ContactBatchWriter implements ContactWriter {

	/** HubSpot's most inputs in one batch call. */
	static final int MAX_BATCH = 100;

	private static final Logger log = LoggerFactory.getLogger(ContactBatchWriter.class);

	private final HubSpotContactsClient client;

	private final HubSpotAttempts attempts;

	private final ConnectorMetrics metrics;

	ContactBatchWriter(HubSpotContactsClient client, HubSpotAttempts attempts, ConnectorMetrics metrics) {
		this.client = client;
		this.attempts = attempts;
		this.metrics = metrics;
	}

	@Override
	public int maxContacts() {
		return MAX_BATCH;
	}

	@Override
	public void write(List<BatchEntry> entries, boolean permitHeld) {
		List<BatchEntry> waiting = entries.stream().filter(BatchEntry::isWaiting).toList();
		if (waiting.isEmpty()) {
			return;
		}
		Deadline deadline = BatchEntry.latestDeadline(waiting);
		List<SyncProgress> progress = BatchEntry.progress(waiting);
		try {
			BatchUpsertResult result = this.attempts.send("batch_upsert", deadline, progress, permitHeld,
					() -> this.client.batchUpsert(inputs(waiting)));
			this.metrics.batchSize(waiting.size());
			waiting.forEach((entry) -> {
				String refusal = result.failedInputs().get(entry.traceId());
				entry.answer((refusal != null) ? new SyncOutcome.Rejected(400, refusal) : new SyncOutcome.Synced());
			});
			log.info("Batch written to HubSpot", kv("contacts", waiting.size()),
					kv("refused", result.failedInputs().size()));
		}
		catch (RuntimeException ex) {
			if (HubSpotAttempts.isInputRefused(ex) && waiting.size() > 1) {
				log.info("HubSpot refused a batch of {} for one of its inputs; splitting it: {}", waiting.size(),
						ex.getMessage());
				int half = waiting.size() / 2;
				write(waiting.subList(0, half), false);
				write(waiting.subList(half, waiting.size()), false);
				return;
			}
			log.warn("Batch of {} not written to HubSpot: {}", waiting.size(), ex.getMessage());
			answerFailure(waiting, ex);
		}
	}

	private void answerFailure(List<BatchEntry> entries, RuntimeException failure) {
		for (BatchEntry entry : entries) {
			for (PendingWrite write : entry.writes()) {
				try {
					write.answer(this.attempts.outcomeOf(failure, write.progress()));
				}
				catch (RuntimeException unexpected) {
					write.fail(unexpected);
				}
			}
		}
	}

	/**
	 * The inputs still waiting: an event answered by its deadline is not written any
	 * more.
	 */
	private static List<com.portaone.nsps.hubspot.hubspot.BatchUpsertInput> inputs(List<BatchEntry> entries) {
		List<com.portaone.nsps.hubspot.hubspot.BatchUpsertInput> inputs = entries.stream()
			.filter(BatchEntry::isWaiting)
			.map(BatchEntry::input)
			.toList();
		if (inputs.isEmpty()) {
			throw new DeadlinePassedException();
		}
		return inputs;
	}

}
