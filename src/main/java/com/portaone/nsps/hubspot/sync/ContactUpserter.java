package com.portaone.nsps.hubspot.sync;

import java.util.List;

import com.portaone.nsps.hubspot.client.HubSpotContactsClient;
import com.portaone.nsps.hubspot.client.HubSpotException;
import com.portaone.nsps.hubspot.client.Permit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Writes one contact per request ({@code HUBSPOT_WRITE_MODE=single}), as an upsert by
 * email: a create that meets an existing email becomes an update (a subscriber's second
 * SIM), an update of an unknown email becomes a create.
 */
@Component
class ContactUpserter implements ContactWriter {

	private static final Logger log = LoggerFactory.getLogger(ContactUpserter.class);

	/** Create and update can each answer with the other's fallback only so often. */
	private static final int MAX_FALLBACKS = 2;

	private final HubSpotContactsClient client;

	private final HubSpotAttempts attempts;

	private final WriteOrdering ordering;

	private final SyncOutcomes outcomes;

	ContactUpserter(HubSpotContactsClient client, HubSpotAttempts attempts, WriteOrdering ordering,
			SyncOutcomes outcomes) {
		this.client = client;
		this.attempts = attempts;
		this.ordering = ordering;
		this.outcomes = outcomes;
	}

	@Override
	public int maxContacts() {
		return 1;
	}

	@Override
	public void write(List<ContactWrite> writes, Permit permit) {
		Permit first = permit;
		for (ContactWrite write : writes) {
			if (write.isOpen()) {
				upsert(write, first);
				first = null;
			}
		}
	}

	private void upsert(ContactWrite write, @Nullable Permit permit) {
		Operation operation = write.creates() ? Operation.CREATE : Operation.UPDATE;
		List<SyncProgress> progress = ContactWrite.progress(List.of(write));
		Deadline deadline = ContactWrite.latestDeadline(List.of(write));
		Permit held = permit;
		try {
			for (int fallbacks = 0;; fallbacks++) {
				try {
					Operation sending = operation;
					this.attempts.send(operation.label, deadline, progress, held, (attemptPermit) -> {
						switch (sending) {
							case CREATE -> this.client.create(attemptPermit, write.properties());
							case UPDATE -> this.client.updateByEmail(attemptPermit, write.email(), write.properties());
						}
						return null;
					});
					log.info("Contact written to HubSpot", kv("operation", operation.label));
					this.ordering.confirmed(write);
					return;
				}
				catch (HubSpotException ex) {
					Operation fallback = operation.fallbackOn(ex.status());
					if (fallback == null || fallbacks >= MAX_FALLBACKS) {
						throw ex;
					}
					log.info("HubSpot answered {} to {}; trying {}", ex.status(), operation.label, fallback.label);
					operation = fallback;
					held = null;
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Contact not written to HubSpot: {}", ex.getMessage());
			write.settle(this.outcomes.of(ex, progress.get(0)));
		}
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
