package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

import com.portaone.nsps.hubspot.event.ContactUpsert;
import com.portaone.nsps.hubspot.event.NspsEvent;
import com.portaone.nsps.hubspot.hubspot.HubSpotContactsClient;
import com.portaone.nsps.hubspot.hubspot.HubSpotException;
import com.portaone.nsps.hubspot.hubspot.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.hubspot.HubSpotSettings;
import com.portaone.nsps.hubspot.hubspot.HubSpotUnreachableException;
import com.portaone.nsps.hubspot.hubspot.RequestBudgetExhaustedException;
import com.portaone.nsps.hubspot.sync.SyncOutcome.Cause;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.stereotype.Component;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Writes one event's contact with one request per event, as an upsert by email: a create
 * that meets an existing email becomes an update (a subscriber's second SIM), an update
 * of an unknown email becomes a create. Each attempt takes a permit of the request
 * budget; transient failures are retried with exponential backoff within the event's
 * deadline.
 */
@Component
public class ContactUpserter {

	private static final Logger log = LoggerFactory.getLogger(ContactUpserter.class);

	/** Create and update can each answer with the other's fallback only so often. */
	private static final int MAX_FALLBACKS = 2;

	private final HubSpotContactsClient client;

	private final HubSpotRequestBudget budget;

	private final HubSpotSettings settings;

	public ContactUpserter(HubSpotContactsClient client, HubSpotRequestBudget budget, HubSpotSettings settings) {
		this.client = client;
		this.budget = budget;
		this.settings = settings;
	}

	SyncOutcome upsert(ContactUpsert upsert, Deadline deadline, SyncProgress progress) {
		try {
			Operation operation = NspsEvent.SIM_CREATED.equals(upsert.eventType()) ? Operation.CREATE
					: Operation.UPDATE;
			for (int fallbacks = 0;; fallbacks++) {
				try {
					sendWithRetries(operation, upsert, deadline, progress);
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
		catch (HubSpotException ex) {
			return outcomeOf(ex);
		}
		catch (HubSpotUnreachableException ex) {
			log.warn("HubSpot unreachable: {}", ex.getMessage());
			return new SyncOutcome.Unavailable(Cause.CONNECTION, ex.getMessage());
		}
		catch (RequestBudgetExhaustedException ex) {
			log.warn("HubSpot request budget exhausted: {}", ex.getMessage());
			return new SyncOutcome.RateLimited(ex.getMessage(), ex.retryAfter());
		}
		catch (DeadlinePassedException ex) {
			return progress.outcomeAtDeadline();
		}
	}

	private void sendWithRetries(Operation operation, ContactUpsert upsert, Deadline deadline, SyncProgress progress) {
		Duration remaining = deadline.remaining();
		if (remaining.isZero()) {
			throw new DeadlinePassedException();
		}
		RetryTemplate retryTemplate = new RetryTemplate(retryPolicy(remaining));
		try {
			retryTemplate.execute(() -> {
				send(operation, upsert, deadline, progress);
				return null;
			});
		}
		catch (RetryException ex) {
			Throwable last = (ex.getCause() != null) ? ex.getCause() : ex;
			if (last instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("HubSpot write failed", last);
		}
	}

	private void send(Operation operation, ContactUpsert upsert, Deadline deadline, SyncProgress progress) {
		if (deadline.passed()) {
			throw new DeadlinePassedException();
		}
		progress.waitingForBudget();
		this.budget.acquire(deadline.remaining());
		progress.awaitingHubSpot();
		try {
			switch (operation) {
				case CREATE -> this.client.create(upsert.properties());
				case UPDATE -> this.client.updateByEmail(upsert.email(), upsert.properties());
			}
		}
		catch (HubSpotException ex) {
			progress.failed(ex);
			if (ex.status() == 429 && ex.error().isDailyLimit()) {
				this.budget.dailyLimitReached();
			}
			if (ex.isTransient()) {
				log.warn("HubSpot answered {} to {}: {}", ex.status(), operation.label, ex.error().describe());
			}
			throw ex;
		}
		catch (HubSpotUnreachableException ex) {
			progress.unreachable(ex);
			log.warn("HubSpot {} failed: {}", operation.label, ex.getMessage());
			throw ex;
		}
	}

	private RetryPolicy retryPolicy(Duration remaining) {
		Duration backoff = this.settings.initialBackoff();
		return RetryPolicy.builder()
			.maxRetries(this.settings.maxRetries())
			.delay(backoff)
			.multiplier(2)
			.maxDelay(backoff.multipliedBy(4))
			.jitter(backoff.dividedBy(5))
			.timeout(remaining)
			.predicate(ContactUpserter::isTransient)
			.build();
	}

	private static boolean isTransient(Throwable failure) {
		return (failure instanceof HubSpotException ex && ex.isTransient())
				|| failure instanceof HubSpotUnreachableException;
	}

	private SyncOutcome outcomeOf(HubSpotException ex) {
		int status = ex.status();
		String message = ex.error().describe();
		if (status == 429) {
			Duration retryAfter = ex.error().isDailyLimit() ? this.budget.dailyLimitCooldownRemaining()
					: (ex.retryAfter() != null) ? ex.retryAfter() : Duration.ofSeconds(10);
			log.warn("HubSpot rate limit: {}", message);
			return new SyncOutcome.RateLimited("HubSpot answered 429: " + message, retryAfter);
		}
		if (status == 401 || status == 403) {
			log.error("HubSpot refused the access token ({}): {}", status, message);
			return new SyncOutcome.Unavailable(Cause.SERVICE, "HubSpot answered " + status + ": " + message);
		}
		if (ex.isTransient()) {
			log.error("HubSpot failed after retries ({}): {}", status, message);
			return new SyncOutcome.Unavailable(Cause.SERVICE, "HubSpot answered " + status + ": " + message);
		}
		log.error("HubSpot refused the contact ({}): {}", status, message);
		return new SyncOutcome.Rejected(status, message);
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
