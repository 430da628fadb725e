package com.portaone.nsps.hubspot.sync;

import java.util.List;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.event.NspsEvent;
import com.portaone.nsps.hubspot.hubspot.HubSpotContactsClient;
import com.portaone.nsps.hubspot.hubspot.HubSpotException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Writes one event's contact with one request per event
 * ({@code HUBSPOT_WRITE_MODE=single}), as an upsert by email: a create that meets an
 * existing email becomes an update (a subscriber's second SIM), an update of an unknown
 * email becomes a create.
 */
@Component
public class ContactUpserter implements ContactWriter {

	private static final Logger log = LoggerFactory.getLogger(ContactUpserter.class);

	/** Create and update can each answer with the other's fallback only so often. */
	private static final int MAX_FALLBACKS = 2;

	private final HubSpotContactsClient client;

	private final HubSpotAttempts attempts;

	ContactUpserter(HubSpotContactsClient client, HubSpotAttempts attempts) {
		this.client = client;
		this.attempts = attempts;
	}

	@Override
	public int maxContacts() {
		return 1;
	}

	@Override
	public void write(List<BatchEntry> entries, boolean permitHeld) {
		for (BatchEntry entry : entries) {
			if (!entry.isWaiting()) {
				continue;
			}
			List<SyncProgress> progress = BatchEntry.progress(List.of(entry));
			SyncOutcome outcome = upsert(entry.merged(), BatchEntry.latestDeadline(List.of(entry)), progress,
					permitHeld);
			entry.answer(outcome);
			permitHeld = false;
		}
	}

	private SyncOutcome upsert(ContactUpsert upsert, Deadline deadline, List<SyncProgress> progress,
			boolean permitHeld) {
		Operation operation = NspsEvent.SIM_CREATED.equals(upsert.eventType()) ? Operation.CREATE : Operation.UPDATE;
		try {
			for (int fallbacks = 0;; fallbacks++) {
				try {
					send(operation, upsert, deadline, progress, permitHeld && fallbacks == 0);
					log.info("Contact written to HubSpot", kv("operation", operation.label));
					return new SyncOutcome.Synced();
				}
				catch (HubSpotException ex) {
					Operation fallback = operation.fallbackOn(ex.status());
					if (fallback == null || fallbacks >= MAX_FALLBACKS) {
						throw ex;
					}
					log.info("HubSpot answered {} to {}; trying {}", ex.status(), operation.label, fallback.label);
					operation = fallback;
				}
			}
		}
		catch (RuntimeException ex) {
			SyncOutcome outcome = this.attempts.outcomeOf(ex, progress.get(0));
			log.warn("Contact not written to HubSpot: {}", ex.getMessage());
			return outcome;
		}
	}

	private void send(Operation operation, ContactUpsert upsert, Deadline deadline, List<SyncProgress> progress,
			boolean permitHeld) {
		this.attempts.send(operation.label, deadline, progress, permitHeld, () -> {
			switch (operation) {
				case CREATE -> this.client.create(upsert.properties());
				case UPDATE -> this.client.updateByEmail(upsert.email(), upsert.properties());
			}
			return null;
		});
	}

	private enum Operation {

		CREATE("create"), UPDATE("update");

		private final String label;

		Operation(String label) {
			this.label = label;
		}

		/** 409 on create: the email exists. 404 on update: it does not. */
		@Nullable Operation fallbackOn(int status) {
			if (this == CREATE && status == 409) {
				return UPDATE;
			}
			if (this == UPDATE && status == 404) {
				return CREATE;
			}
			return null;
		}

	}

}
