package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import com.portaone.nsps.hubspot.hubspot.HubSpotException;
import com.portaone.nsps.hubspot.hubspot.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.hubspot.HubSpotSettings;
import com.portaone.nsps.hubspot.hubspot.HubSpotUnreachableException;
import com.portaone.nsps.hubspot.hubspot.RequestBudgetExhaustedException;
import com.portaone.nsps.hubspot.sync.SyncOutcome.Cause;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.stereotype.Component;

/**
 * One HubSpot request with everything around it: a permit of the request budget for every
 * attempt, retries of transient failures with exponential backoff and jitter (Spring's
 * core retry), all within a deadline; and what NSPS is answered when it fails.
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
	 * @param operation what the request does, for the log
	 * @param deadline when the events waiting on it must be answered
	 * @param progress the progress of every event waiting on it
	 * @param permitHeld whether the caller already took the first attempt's permit
	 * @param request one attempt
	 * @return the answer of the attempt that succeeded
	 */
	<T> T send(String operation, Deadline deadline, List<SyncProgress> progress, boolean permitHeld,
			Supplier<T> request) {
		Duration remaining = deadline.remaining();
		if (remaining.isZero()) {
			throw new DeadlinePassedException();
		}
		AtomicBoolean firstPermit = new AtomicBoolean(permitHeld);
		RetryTemplate retryTemplate = new RetryTemplate(retryPolicy(remaining));
		retryTemplate.setRetryListener(new RetryListener() {

			@Override
			public void beforeRetry(RetryPolicy policy, Retryable<?> retryable) {
				HubSpotAttempts.this.metrics.retry(operation);
			}

		});
		try {
			return retryTemplate
				.execute(() -> attempt(operation, deadline, progress, firstPermit.getAndSet(false), request));
		}
		catch (RetryException ex) {
			Throwable last = (ex.getCause() != null) ? ex.getCause() : ex;
			if (last instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("HubSpot request failed", last);
		}
	}

	private <T> T attempt(String operation, Deadline deadline, List<SyncProgress> progress, boolean permitHeld,
			Supplier<T> request) {
		if (deadline.passed()) {
			throw new DeadlinePassedException();
		}
		if (!permitHeld) {
			progress.forEach(SyncProgress::waitingForBudget);
			this.budget.acquire(deadline.remaining());
		}
		progress.forEach(SyncProgress::awaitingHubSpot);
		this.budget.beforeSend();
		try {
			return request.get();
		}
		catch (HubSpotException ex) {
			progress.forEach((each) -> each.failed(ex));
			if (ex.status() == 429 && ex.error().isDailyLimit()) {
				this.budget.dailyLimitReached();
			}
			if (ex.isTransient()) {
				log.warn("HubSpot answered {} to {}: {}", ex.status(), operation, ex.error().describe());
			}
			throw ex;
		}
		catch (HubSpotUnreachableException ex) {
			progress.forEach((each) -> each.unreachable(ex));
			log.warn("HubSpot {} failed: {}", operation, ex.getMessage());
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
		return (failure instanceof HubSpotException ex && ex.isTransient())
				|| failure instanceof HubSpotUnreachableException;
	}

	/**
	 * What NSPS is answered for a request that failed.
	 * @param failure what {@link #send} threw
	 * @param progress the event's progress, for a deadline that passed
	 * @return the outcome
	 * @throws RuntimeException the failure itself when it is none of HubSpot's
	 */
	SyncOutcome outcomeOf(RuntimeException failure, SyncProgress progress) {
		if (failure instanceof HubSpotException ex) {
			return outcomeOf(ex);
		}
		if (failure instanceof HubSpotUnreachableException ex) {
			return new SyncOutcome.Unavailable(Cause.CONNECTION, ex.getMessage());
		}
		if (failure instanceof RequestBudgetExhaustedException ex) {
			return new SyncOutcome.RateLimited(ex.getMessage(), ex.retryAfter());
		}
		if (failure instanceof DeadlinePassedException) {
			return progress.outcomeAtDeadline();
		}
		throw failure;
	}

	private SyncOutcome outcomeOf(HubSpotException ex) {
		int status = ex.status();
		String message = ex.error().describe();
		if (status == 429) {
			Duration retryAfter = ex.error().isDailyLimit() ? this.budget.dailyLimitCooldownRemaining()
					: (ex.retryAfter() != null) ? ex.retryAfter() : Duration.ofSeconds(10);
			return new SyncOutcome.RateLimited("HubSpot answered 429: " + message, retryAfter);
		}
		if (status == 401 || status == 403 || ex.isTransient()) {
			return new SyncOutcome.Unavailable(Cause.SERVICE, "HubSpot answered " + status + ": " + message);
		}
		return new SyncOutcome.Rejected(status, message);
	}

	/**
	 * Whether a refusal concerns the data of some input rather than every input or the
	 * portal.
	 */
	static boolean isInputRefused(RuntimeException failure) {
		return failure instanceof HubSpotException ex && ex.status() >= 400 && ex.status() < 500 && !ex.isTransient()
				&& ex.status() != 401 && ex.status() != 403 && ex.status() != 429 && !ex.error().isPropertyMissing();
	}

}
