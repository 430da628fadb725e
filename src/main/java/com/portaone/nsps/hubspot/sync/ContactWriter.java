package com.portaone.nsps.hubspot.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.portaone.nsps.hubspot.client.BatchResult;
import com.portaone.nsps.hubspot.client.ContactInput;
import com.portaone.nsps.hubspot.client.HubSpotContactsClient;
import com.portaone.nsps.hubspot.client.HubSpotException;
import com.portaone.nsps.hubspot.client.Permit;
import com.portaone.nsps.hubspot.client.Verdict;
import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Makes planned writes: batch upserts by email, and batch updates by record id for the
 * contacts whose email changes. A write counts as made only when HubSpot's answer lists
 * it; one the answer leaves out is sent again, one it refuses is reported failed.
 * <p>
 * An email change HubSpot refuses because another contact holds the new email (409
 * CONFLICT) goes to that contact instead, as an upsert by the new email with every value
 * of its events; the old contact is left as it is. So does one whose record HubSpot no
 * longer has. An upsert that made a new contact where the store knew one (deleted in
 * HubSpot) is repeated with the values it left out as unchanged.
 * <p>
 * A subscriber whose first write HubSpot never confirmed may still have a contact under
 * the email it tried: before its email changes, that contact is looked up by the old
 * email ({@code batch/read}) and, if HubSpot has it, renamed by its record id.
 * <p>
 * HubSpot refuses a whole batch for one input's bad data. The inputs its error names (by
 * email or trace id) are refused and the rest sent again. When it names none, the batch
 * is split in halves down to the inputs at fault, but no further than needed: when both
 * halves fail as their batch did and so does a lone input from each, the reason is one
 * they all share, and they are refused together; one batch with one bad input costs at
 * most 14 extra requests, and no batch more than {@value #MAX_EXTRA_REQUESTS}.
 */
@Component
class ContactWriter {

	/** HubSpot's most inputs in one batch call. */
	static final int MAX_BATCH = 100;

	/** The most requests narrowing one batch down may add. */
	static final int MAX_EXTRA_REQUESTS = 30;

	/** Trace ids shorter than this are not looked for in HubSpot's text. */
	private static final int MIN_TRACE_ID = 8;

	private static final Logger log = LoggerFactory.getLogger(ContactWriter.class);

	private final HubSpotContactsClient client;

	private final HubSpotAttempts attempts;

	private final ConnectorMetrics metrics;

	ContactWriter(HubSpotContactsClient client, HubSpotAttempts attempts, ConnectorMetrics metrics) {
		this.client = client;
		this.attempts = attempts;
		this.metrics = metrics;
	}

	/**
	 * @param writes distinct contacts, each with its planned write
	 * @param permit the first request's permit, taken by the dispatcher
	 * @param listener told what HubSpot did with each write
	 */
	void write(List<ContactWrite> planned, Permit permit, WriteListener listener) {
		Permit first = permit;
		List<ContactWrite> writes = planned;
		if (planned.stream().anyMatch((write) -> write.formerEmail() != null)) {
			writes = lookUpFormerEmails(planned, first, listener);
			first = null;
		}
		List<ContactWrite> updates = writes.stream().filter(ContactWrite::changesEmail).toList();
		List<ContactWrite> upserts = new ArrayList<>(writes.stream().filter((w) -> !w.changesEmail()).toList());
		if (!updates.isEmpty()) {
			Round round = new Round(Operation.UPDATE, listener);
			round.write(updates, first);
			first = null;
			upserts.addAll(round.again);
		}
		if (!upserts.isEmpty()) {
			Round round = new Round(Operation.UPSERT, listener);
			round.write(upserts, first);
			if (!round.again.isEmpty()) {
				log.info("HubSpot made {} contact(s) anew that it held before; writing every value of their events",
						round.again.size());
				new Round(Operation.UPSERT, listener).write(round.again, null);
			}
		}
	}

	/**
	 * Finds the contacts that unconfirmed writes may have made under an email the
	 * subscriber has left since: those HubSpot has get the new email by their record id,
	 * the others are written as planned. When HubSpot cannot be asked, those writes fail
	 * for now: writing them blind could make a second contact.
	 */
	private List<ContactWrite> lookUpFormerEmails(List<ContactWrite> writes, Permit permit, WriteListener listener) {
		List<ContactWrite> lookups = writes.stream().filter((write) -> write.formerEmail() != null).toList();
		Map<String, String> found;
		try {
			found = this.attempts.send("batch_read", lookups, permit, (attemptPermit) -> this.client
				.recordIds(attemptPermit, lookups.stream().map(ContactWrite::formerEmail).toList()));
		}
		catch (RuntimeException ex) {
			log.warn("Could not look up the contacts of {} subscriber(s) whose email changed: {}", lookups.size(),
					ex.getMessage());
			lookups.forEach((write) -> {
				write.settle();
				listener.failed(write, ex);
			});
			return writes.stream().filter((write) -> write.formerEmail() == null).toList();
		}
		List<ContactWrite> resolved = new ArrayList<>();
		for (ContactWrite write : writes) {
			String former = write.formerEmail();
			String recordId = (former != null) ? found.get(former.toLowerCase(Locale.ROOT)) : null;
			if (former == null) {
				resolved.add(write);
			}
			else if (recordId != null) {
				log.info("An unconfirmed write had made the subscriber's contact; its email changes by record id");
				resolved.add(write.ofRecord(recordId));
			}
			else {
				resolved.add(write.asPlanned());
			}
		}
		return resolved;
	}

	/** The two batch endpoints a write can take. */
	private enum Operation {

		UPSERT("batch_upsert"), UPDATE("batch_update");

		private final String label;

		Operation(String label) {
			this.label = label;
		}

	}

	/** One operation's requests for a set of writes, narrowing included. */
	private final class Round {

		private final Operation operation;

		private final WriteListener listener;

		/** Writes to make again by email with every value, once this round is over. */
		private final List<ContactWrite> again = new ArrayList<>();

		private int extraRequests;

		Round(Operation operation, WriteListener listener) {
			this.operation = operation;
			this.listener = listener;
		}

		void write(List<ContactWrite> writes, @Nullable Permit permit) {
			RuntimeException failure = send(writes, permit);
			if (failure != null) {
				settle(open(writes), failure);
			}
		}

		/**
		 * Sends the open writes in one batch, with retries; confirmed and refused inputs
		 * are reported.
		 * @return the failure that ended the request, its writes left open; null when
		 * none
		 */
		private @Nullable RuntimeException send(List<ContactWrite> writes, @Nullable Permit permit) {
			List<ContactWrite> open = open(writes);
			if (open.isEmpty()) {
				return null;
			}
			try {
				ContactWriter.this.attempts.send(this.operation.label, open, permit,
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
			List<ContactInput> inputs = open.stream().map(ContactWrite::input).toList();
			BatchResult result = (this.operation == Operation.UPSERT) ? ContactWriter.this.client.upsert(permit, inputs)
					: ContactWriter.this.client.update(permit, inputs);
			ContactWriter.this.metrics.batchSize(open.size());
			int unconfirmed = 0;
			int refused = 0;
			List<WriteListener.Confirmed> confirmed = new ArrayList<>();
			for (ContactWrite write : open) {
				ContactInput input = write.input();
				String recordId = result.written(input);
				HubSpotException refusal = result.refusal(input);
				if (recordId != null && this.operation == Operation.UPSERT && result.created(input)
						&& write.expectsContact() && write.leavesOutValues()) {
					write.settle();
					this.again.add(write.everyValueByEmail());
				}
				else if (recordId != null) {
					write.settle();
					confirmed.add(new WriteListener.Confirmed(write, recordId));
				}
				else if (refusal != null) {
					refused++;
					refuse(write, refusal);
				}
				else {
					unconfirmed++;
				}
			}
			this.listener.confirmed(confirmed);
			log.info("Batch written to HubSpot", kv("operation", this.operation.label), kv("contacts", open.size()),
					kv("refused", refused), kv("unconfirmed", unconfirmed));
			if (unconfirmed > 0) {
				throw HubSpotException.unconfirmed(unconfirmed);
			}
			return null;
		}

		/** A write HubSpot refused on its own: an email change may go elsewhere. */
		private void refuse(ContactWrite write, HubSpotException failure) {
			write.settle();
			if (this.operation == Operation.UPDATE
					&& (failure.verdict() == Verdict.EMAIL_TAKEN || failure.verdict() == Verdict.NOT_FOUND)) {
				if (failure.verdict() == Verdict.EMAIL_TAKEN) {
					ContactWriter.this.metrics.emailConflict();
					log.warn("The subscriber's new email belongs to another HubSpot contact; the subscriber's data goes"
							+ " to that contact and the old one is left as it is: {}", failure.detail());
				}
				else {
					log.warn("HubSpot no longer has the contact whose email changes; it is written by its new email");
				}
				this.again.add(write.everyValueByEmail());
				return;
			}
			this.listener.failed(write, failure);
		}

		/**
		 * Reports writes whose request failed, narrowing a refusal down to its inputs.
		 */
		private void settle(List<ContactWrite> open, RuntimeException failure) {
			if (open.isEmpty()) {
				return;
			}
			if (failure instanceof HubSpotException ex && this.operation == Operation.UPDATE
					&& (ex.verdict() == Verdict.NOT_FOUND
							|| (ex.verdict() == Verdict.EMAIL_TAKEN && open.size() == 1))) {
				open.forEach((write) -> refuse(write, ex));
				return;
			}
			if (failure instanceof HubSpotException ex && ex.verdict().scope() == Verdict.Scope.INPUT
					&& ex.verdict() != Verdict.UNCONFIRMED && open.size() > 1) {
				narrow(open, ex);
				return;
			}
			log.warn("Batch of {} not written to HubSpot: {}", open.size(), failure.getMessage());
			open.forEach((write) -> {
				write.settle();
				this.listener.failed(write, failure);
			});
		}

		private void narrow(List<ContactWrite> open, HubSpotException failure) {
			List<ContactWrite> named = open.stream().filter((write) -> names(failure, write)).toList();
			if (!named.isEmpty()) {
				log.info("HubSpot refused a batch of {} for the data of {} named input(s)", open.size(), named.size());
				named.forEach((write) -> refuse(write, failure));
				List<ContactWrite> rest = open.stream().filter((write) -> !named.contains(write)).toList();
				if (!rest.isEmpty() && spend(1, rest, failure)) {
					RuntimeException again = send(rest, null);
					if (again != null) {
						settle(open(rest), again);
					}
				}
				return;
			}
			if (!spend(2, open, failure)) {
				return;
			}
			log.info("HubSpot refused a batch of {} for the data of an input it does not name; splitting it: {}",
					open.size(), failure.getMessage());
			List<ContactWrite> first = open.subList(0, open.size() / 2);
			List<ContactWrite> second = open.subList(open.size() / 2, open.size());
			RuntimeException firstFailure = send(first, null);
			RuntimeException secondFailure = send(second, null);
			if (failsAlike(firstFailure, failure) && failsAlike(secondFailure, failure)
					&& sharedReason(first, second, failure)) {
				log.info("Lone inputs fail as the batch of {} did: a reason they all share; refusing them",
						open.size());
				open(open).forEach((write) -> refuse(write, failure));
				return;
			}
			if (firstFailure != null) {
				settle(open(first), firstFailure);
			}
			if (secondFailure != null) {
				settle(open(second), secondFailure);
			}
		}

		/**
		 * Both halves failed as their batch did: either every input shares the reason, or
		 * each half holds an input at fault. One lone input from each half tells: if both
		 * fail as the batch did, splitting stops.
		 */
		private boolean sharedReason(List<ContactWrite> first, List<ContactWrite> second, HubSpotException failure) {
			List<ContactWrite> firstOpen = open(first);
			List<ContactWrite> secondOpen = open(second);
			List<ContactWrite> both = new ArrayList<>(firstOpen);
			both.addAll(secondOpen);
			if (firstOpen.isEmpty() || secondOpen.isEmpty() || !spend(2, both, failure)) {
				return false;
			}
			RuntimeException firstLone = send(firstOpen.subList(0, 1), null);
			RuntimeException secondLone = send(secondOpen.subList(0, 1), null);
			return failsAlike(firstLone, failure) && failsAlike(secondLone, failure);
		}

		/**
		 * Takes {@code requests} from what narrowing may still cost; when it is spent,
		 * the writes are refused with the batch's error.
		 */
		private boolean spend(int requests, List<ContactWrite> writes, HubSpotException failure) {
			if (this.extraRequests + requests > MAX_EXTRA_REQUESTS) {
				log.warn("HubSpot refused a batch and narrowing it down would take more than {} requests; refusing {}"
						+ " input(s) with its error", MAX_EXTRA_REQUESTS, writes.size());
				writes.forEach((write) -> refuse(write, failure.inBatch()));
				return false;
			}
			this.extraRequests += requests;
			return true;
		}

	}

	private static boolean failsAlike(@Nullable RuntimeException failure, HubSpotException parent) {
		return failure instanceof HubSpotException ex && ex.status() == parent.status()
				&& ex.detail().equals(parent.detail());
	}

	/** Whether HubSpot's error names the write's input, by its email or its trace id. */
	static boolean names(HubSpotException failure, ContactWrite write) {
		String text = failure.detail().toLowerCase(Locale.ROOT);
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
