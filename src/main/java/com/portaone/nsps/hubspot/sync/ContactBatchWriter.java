package com.portaone.nsps.hubspot.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.portaone.nsps.hubspot.client.BatchUpsertResult;
import com.portaone.nsps.hubspot.client.HubSpotContactsClient;
import com.portaone.nsps.hubspot.client.HubSpotError;
import com.portaone.nsps.hubspot.client.HubSpotException;
import com.portaone.nsps.hubspot.client.Permit;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Writes contacts with batch upserts by email and answers every event. A contact counts
 * as written only when HubSpot's answer lists it among its results; one the answer leaves
 * out is sent again, one it lists among its errors is refused.
 * <p>
 * HubSpot refuses a whole batch for one input's bad data. The inputs its error names (by
 * email or trace id) are refused and the rest sent again. When it names none, the batch
 * is split in halves down to the inputs at fault, but no further than needed: when both
 * halves fail as their batch did and so does a lone input from each, the reason is one
 * they all share, and they are refused together; one batch with one bad input costs at
 * most 14 extra requests, and no batch more than {@value #MAX_EXTRA_REQUESTS}. Errors
 * that concern every input (404, 405, 415, a missing property, a refused token) fail the
 * whole request at once.
 */
@Component
class ContactBatchWriter implements ContactWriter {

	/** HubSpot's most inputs in one batch call. */
	static final int MAX_BATCH = 100;

	/** The most requests narrowing one batch down may add. */
	static final int MAX_EXTRA_REQUESTS = 30;

	/** Trace ids shorter than this are not looked for in HubSpot's text. */
	private static final int MIN_TRACE_ID = 8;

	private static final Logger log = LoggerFactory.getLogger(ContactBatchWriter.class);

	private final HubSpotContactsClient client;

	private final HubSpotAttempts attempts;

	private final WriteOrdering ordering;

	private final SyncOutcomes outcomes;

	private final ConnectorMetrics metrics;

	ContactBatchWriter(HubSpotContactsClient client, HubSpotAttempts attempts, WriteOrdering ordering,
			SyncOutcomes outcomes, ConnectorMetrics metrics) {
		this.client = client;
		this.attempts = attempts;
		this.ordering = ordering;
		this.outcomes = outcomes;
		this.metrics = metrics;
	}

	@Override
	public int maxContacts() {
		return MAX_BATCH;
	}

	@Override
	public void write(List<ContactWrite> writes, Permit permit) {
		int[] extraRequests = { 0 };
		RuntimeException failure = send(writes, permit);
		if (failure != null) {
			settle(open(writes), failure, extraRequests);
		}
	}

	/**
	 * Sends the open writes in one batch, with retries; confirmed and refused inputs are
	 * settled.
	 * @return the failure that ended the request, its writes left open; null when none
	 */
	private @Nullable RuntimeException send(List<ContactWrite> writes, @Nullable Permit permit) {
		List<ContactWrite> open = open(writes);
		if (open.isEmpty()) {
			return null;
		}
		try {
			this.attempts.send("batch_upsert", ContactWrite.latestDeadline(open), ContactWrite.progress(open), permit,
					(attemptPermit) -> attempt(open, attemptPermit));
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	private @Nullable Void attempt(List<ContactWrite> writes, Permit permit) {
		List<ContactWrite> open = open(writes);
		if (open.isEmpty()) {
			throw new DeadlinePassedException();
		}
		BatchUpsertResult result = this.client.batchUpsert(permit, open.stream().map(ContactWrite::input).toList());
		this.metrics.batchSize(open.size());
		int unconfirmed = 0;
		int refused = 0;
		List<ContactWrite> confirmed = new ArrayList<>();
		for (ContactWrite write : open) {
			HubSpotError error = result.failure(write.input());
			if (result.confirms(write.input())) {
				confirmed.add(write);
			}
			else if (error != null) {
				refused++;
				write.settle(this.outcomes.refused(400, error.describe()));
			}
			else {
				unconfirmed++;
			}
		}
		this.ordering.confirmed(confirmed);
		log.info("Batch written to HubSpot", kv("contacts", open.size()), kv("refused", refused),
				kv("unconfirmed", unconfirmed));
		if (unconfirmed > 0) {
			throw new UnconfirmedWriteException(unconfirmed);
		}
		return null;
	}

	/** Answers writes whose request failed, narrowing a refusal down to its inputs. */
	private void settle(List<ContactWrite> open, RuntimeException failure, int[] extraRequests) {
		if (open.isEmpty()) {
			return;
		}
		if (failure instanceof HubSpotException ex && ex.kind() == HubSpotException.Kind.INPUT_DATA
				&& open.size() > 1) {
			narrow(open, ex, extraRequests);
			return;
		}
		log.warn("Batch of {} not written to HubSpot: {}", open.size(), failure.getMessage());
		open.forEach((write) -> write.settle(this.outcomes.of(failure, write.events().get(0).progress())));
	}

	private void narrow(List<ContactWrite> open, HubSpotException failure, int[] extraRequests) {
		List<ContactWrite> named = open.stream().filter((write) -> names(failure, write)).toList();
		if (!named.isEmpty()) {
			log.info("HubSpot refused a batch of {} for the data of {} named input(s)", open.size(), named.size());
			named.forEach((write) -> write.settle(this.outcomes.of(failure, write.events().get(0).progress())));
			List<ContactWrite> rest = open.stream().filter((write) -> !named.contains(write)).toList();
			if (!rest.isEmpty() && spend(extraRequests, 1, rest, failure)) {
				RuntimeException again = send(rest, null);
				if (again != null) {
					settle(open(rest), again, extraRequests);
				}
			}
			return;
		}
		if (!spend(extraRequests, 2, open, failure)) {
			return;
		}
		log.info("HubSpot refused a batch of {} for the data of an input it does not name; splitting it: {}",
				open.size(), failure.getMessage());
		List<ContactWrite> first = open.subList(0, open.size() / 2);
		List<ContactWrite> second = open.subList(open.size() / 2, open.size());
		RuntimeException firstFailure = send(first, null);
		RuntimeException secondFailure = send(second, null);
		if (failsAlike(firstFailure, failure) && failsAlike(secondFailure, failure)
				&& sharedReason(first, second, failure, extraRequests)) {
			log.info("Lone inputs fail as the batch of {} did: a reason they all share; refusing them", open.size());
			open(open).forEach((write) -> write.settle(this.outcomes.of(failure, write.events().get(0).progress())));
			return;
		}
		if (firstFailure != null) {
			settle(open(first), firstFailure, extraRequests);
		}
		if (secondFailure != null) {
			settle(open(second), secondFailure, extraRequests);
		}
	}

	/**
	 * Both halves failed as their batch did: either every input shares the reason, or
	 * each half holds an input at fault. One lone input from each half tells: if both
	 * fail as the batch did, splitting stops.
	 */
	private boolean sharedReason(List<ContactWrite> first, List<ContactWrite> second, HubSpotException failure,
			int[] extraRequests) {
		List<ContactWrite> firstOpen = open(first);
		List<ContactWrite> secondOpen = open(second);
		if (firstOpen.isEmpty() || secondOpen.isEmpty()
				|| !spend(extraRequests, 2, concat(firstOpen, secondOpen), failure)) {
			return false;
		}
		RuntimeException firstLone = send(firstOpen.subList(0, 1), null);
		RuntimeException secondLone = send(secondOpen.subList(0, 1), null);
		return failsAlike(firstLone, failure) && failsAlike(secondLone, failure);
	}

	private static List<ContactWrite> concat(List<ContactWrite> first, List<ContactWrite> second) {
		List<ContactWrite> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	/**
	 * Takes {@code requests} from what narrowing may still cost; when it is spent, the
	 * writes are refused with the batch's error.
	 */
	private boolean spend(int[] extraRequests, int requests, List<ContactWrite> writes, HubSpotException failure) {
		if (extraRequests[0] + requests > MAX_EXTRA_REQUESTS) {
			log.warn("HubSpot refused a batch and narrowing it down would take more than {} requests; refusing {}"
					+ " input(s) with its error", MAX_EXTRA_REQUESTS, writes.size());
			writes.forEach((write) -> write.settle(this.outcomes.refused(failure.status(),
					"HubSpot refused the batch this event was in: " + failure.error().describe())));
			return false;
		}
		extraRequests[0] += requests;
		return true;
	}

	private static boolean failsAlike(@Nullable RuntimeException failure, HubSpotException parent) {
		return failure instanceof HubSpotException ex && ex.status() == parent.status()
				&& ex.error().describe().equals(parent.error().describe());
	}

	/** Whether HubSpot's error names the write's input, by its email or its trace id. */
	static boolean names(HubSpotException failure, ContactWrite write) {
		String text = failure.error().describe().toLowerCase(Locale.ROOT);
		String traceId = write.traceId().toLowerCase(Locale.ROOT);
		// Short ids ("1") would match indexes and counts in the text.
		return mentions(text, write.email().toLowerCase(Locale.ROOT))
				|| (traceId.length() >= MIN_TRACE_ID && mentions(text, traceId));
	}

	/**
	 * Whether {@code word} stands in {@code text} on its own, not inside a longer one.
	 */
	private static boolean mentions(String text, String word) {
		if (word.isEmpty()) {
			return false;
		}
		for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
			boolean startsAlone = at == 0 || !isWordChar(text.charAt(at - 1));
			int end = at + word.length();
			boolean endsAlone = end == text.length() || !isWordChar(text.charAt(end))
					|| (text.charAt(end) == '.' && (end + 1 == text.length() || !isWordChar(text.charAt(end + 1))));
			if (startsAlone && endsAlone) {
				return true;
			}
		}
		return false;
	}

	private static boolean isWordChar(char c) {
		return Character.isLetterOrDigit(c) || "._%+-@".indexOf(c) >= 0;
	}

	private static List<ContactWrite> open(List<ContactWrite> writes) {
		List<ContactWrite> open = new ArrayList<>();
		for (ContactWrite write : writes) {
			if (write.isOpen()) {
				open.add(write);
			}
		}
		return open;
	}

}
