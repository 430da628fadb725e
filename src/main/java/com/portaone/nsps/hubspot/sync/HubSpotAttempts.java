package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.portaone.nsps.hubspot.client.HubSpotException;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.client.HubSpotUnreachableException;
import com.portaone.nsps.hubspot.client.Permit;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.stereotype.Component;

/**
 * One HubSpot request with its retries (Spring's core retry): each attempt goes through a
 * permit of the request budget, transient failures are retried with exponential backoff
 * and jitter, all within the deadline. Which failures are transient is decided here and
 * nowhere else: 5xx and 423, a ten-secondly 429 (the budget holds the next permit until
 * HubSpot's window has room), no answer, and a batch answer that left inputs unconfirmed.
 */
@Component
class HubSpotAttempts {

	private static final Logger log = LoggerFactory.getLogger(HubSpotAttempts.class);

	private final HubSpotRequestBudget budget;

	private final HubSpotSettings settings;

	private final ConnectorMetrics metrics;

	HubSpotAttempts(HubSpotRequestBudget budget, HubSpotSettings settings, ConnectorMetrics metrics) {
		this.budget = budget;
		this.settings = settings;
		this.metrics = metrics;
	}

	/**
	 * Sends a request, retrying transient failures.
	 * @param operation what the request does, for metrics and the log
	 * @param deadline when the events waiting on it must be answered
	 * @param progress the progress of every event waiting on it
	 * @param permit the first attempt's permit, when the caller holds one
	 * @param request one attempt, sent through the permit it is given
	 * @return the answer of the attempt that succeeded
	 */
	<T> T send(String operation, Deadline deadline, List<SyncProgress> progress, @Nullable Permit permit,
			Function<Permit, T> request) {
		Duration remaining = deadline.remaining();
		if (remaining.isZero()) {
			throw new DeadlinePassedException();
		}
		AtomicReference<@Nullable Permit> first = new AtomicReference<>(permit);
		RetryTemplate retryTemplate = new RetryTemplate(retryPolicy(remaining));
		retryTemplate.setRetryListener(new RetryListener() {

			@Override
			public void beforeRetry(RetryPolicy policy, Retryable<?> retryable) {
				HubSpotAttempts.this.metrics.retry(operation);
			}

		});
		try {
			return retryTemplate.execute(() -> attempt(operation, deadline, progress, first.getAndSet(null), request));
		}
		catch (RetryException ex) {
			Throwable last = (ex.getCause() != null) ? ex.getCause() : ex;
			if (last instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("HubSpot request failed", last);
		}
	}

	private <T> T attempt(String operation, Deadline deadline, List<SyncProgress> progress, @Nullable Permit held,
			Function<Permit, T> request) {
		if (deadline.passed()) {
			throw new DeadlinePassedException();
		}
		Permit permit = held;
		if (permit == null) {
			progress.forEach(SyncProgress::waitingForBudget);
			permit = this.budget.acquire(deadline.remaining());
		}
		progress.forEach(SyncProgress::awaitingHubSpot);
		try {
			return request.apply(permit);
		}
		catch (HubSpotException ex) {
			progress.forEach((each) -> each.failed(ex));
			if (isTransient(ex)) {
				log.warn("HubSpot answered {} to {}: {}", ex.status(), operation, ex.error().describe());
			}
			throw ex;
		}
		catch (HubSpotUnreachableException ex) {
			progress.forEach((each) -> each.unreachable(ex));
			log.warn("HubSpot {} failed: {}", operation, ex.getMessage());
			throw ex;
		}
		catch (UnconfirmedWriteException ex) {
			progress.forEach((each) -> each.unconfirmed(ex));
			log.warn("HubSpot {}: {}", operation, ex.getMessage());
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
			.predicate(HubSpotAttempts::isTransient)
			.build();
	}

	private static boolean isTransient(Throwable failure) {
		if (failure instanceof HubSpotException ex) {
			return ex.kind() == HubSpotException.Kind.RETRY || ex.kind() == HubSpotException.Kind.RATE_LIMITED;
		}
		return failure instanceof HubSpotUnreachableException || failure instanceof UnconfirmedWriteException;
	}

}
