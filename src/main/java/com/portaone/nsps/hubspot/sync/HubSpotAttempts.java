package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.portaone.nsps.hubspot.client.HubSpotException;
import com.portaone.nsps.hubspot.client.HubSpotRequestBudget;
import com.portaone.nsps.hubspot.client.HubSpotSettings;
import com.portaone.nsps.hubspot.client.Permit;
import com.portaone.nsps.hubspot.client.Verdict;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import com.portaone.nsps.hubspot.sync.PendingEvent.Step;
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
 * permit of the request budget, failures the {@link Verdict} calls retryable are retried
 * with exponential backoff and jitter, all within the latest deadline of the events
 * carried. An attempt HubSpot left without an answer puts its contacts in doubt (SPEC
 * §4): HubSpot may still apply it for {@code HUBSPOT_IN_DOUBT_MARGIN_SECONDS} after the
 * connector gave up on it.
 */
@Component
class HubSpotAttempts {

	private static final Logger log = LoggerFactory.getLogger(HubSpotAttempts.class);

	private final HubSpotRequestBudget budget;

	private final HubSpotSettings settings;

	private final ConnectorMetrics metrics;

	private final WriteSpans spans;

	HubSpotAttempts(HubSpotRequestBudget budget, HubSpotSettings settings, ConnectorMetrics metrics, WriteSpans spans) {
		this.budget = budget;
		this.settings = settings;
		this.metrics = metrics;
		this.spans = spans;
	}

	/**
	 * Sends a request, retrying what the verdict calls retryable.
	 * @param operation what the request does, for metrics and the log
	 * @param writes the contact writes it carries
	 * @param permit the first attempt's permit, when the caller holds one
	 * @param request one attempt, sent through the permit it is given
	 * @return the answer of the attempt that succeeded
	 */
	<T> T send(String operation, List<ContactWrite> writes, @Nullable Permit permit, Function<Permit, T> request) {
		Deadline deadline = ContactWrite.latestDeadline(writes);
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
			return retryTemplate.execute(() -> attempt(operation, writes, deadline, first.getAndSet(null), request));
		}
		catch (RetryException ex) {
			Throwable last = (ex.getCause() != null) ? ex.getCause() : ex;
			if (last instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("HubSpot request failed", last);
		}
	}

	private <T> T attempt(String operation, List<ContactWrite> writes, Deadline deadline, @Nullable Permit held,
			Function<Permit, T> request) {
		List<PendingEvent> events = ContactWrite.events(writes);
		if (deadline.passed() || writes.stream().noneMatch(ContactWrite::isOpen)) {
			throw new DeadlinePassedException();
		}
		Permit permit = held;
		if (permit == null) {
			events.forEach((event) -> event.step(Step.WAITING_FOR_BUDGET));
			permit = this.spans.budgetWait(() -> this.budget.acquire(deadline.remaining()));
		}
		events.forEach((event) -> event.step(Step.AWAITING_HUBSPOT));
		try {
			return request.apply(permit);
		}
		catch (HubSpotException ex) {
			events.forEach((event) -> event.failed(ex));
			if (ex.verdict().inDoubt()) {
				long until = System.nanoTime() + this.settings.inDoubtMargin().toNanos();
				writes.forEach((write) -> write.inDoubtUntil(until));
			}
			if (ex.verdict().retry() != Verdict.Retry.NEVER) {
				log.warn("HubSpot {}: {}", operation, ex.getMessage());
			}
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
			.predicate(HubSpotAttempts::isRetried)
			.build();
	}

	private static boolean isRetried(Throwable failure) {
		return failure instanceof HubSpotException ex && ex.verdict().retry() != Verdict.Retry.NEVER;
	}

}
