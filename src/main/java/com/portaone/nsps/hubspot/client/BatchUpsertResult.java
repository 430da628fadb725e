package com.portaone.nsps.hubspot.client;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What HubSpot answered to a batch upsert that it accepted (200, or 207 multi-status).
 * Only an input the answer lists among its results was written.
 *
 * @param writtenTraceIds the {@code objectWriteTraceId} of each result that carries one
 * @param writtenEmails the lower-cased email of each result (HubSpot does not always echo
 * a trace id as it was sent, and emails are unique within a batch)
 * @param failedInputs HubSpot's error for each input it refused, by its
 * {@code objectWriteTraceId}
 */
public record BatchUpsertResult(Set<String> writtenTraceIds, Set<String> writtenEmails,
		Map<String, HubSpotError> failedInputs) {

	public BatchUpsertResult {
		writtenTraceIds = Set.copyOf(writtenTraceIds);
		writtenEmails = Set.copyOf(writtenEmails);
		failedInputs = Map.copyOf(failedInputs);
	}

	/** Whether the answer lists the input as written. */
	public boolean confirms(BatchUpsertInput input) {
		return this.writtenTraceIds.contains(input.objectWriteTraceId())
				|| this.writtenEmails.contains(input.id().toLowerCase(Locale.ROOT));
	}

	/** HubSpot's error for the input, when the answer lists it as refused. */
	public @Nullable HubSpotError failure(BatchUpsertInput input) {
		return this.failedInputs.get(input.objectWriteTraceId());
	}

}
