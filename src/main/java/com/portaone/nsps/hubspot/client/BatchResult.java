package com.portaone.nsps.hubspot.client;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What HubSpot answered to a batch call it accepted (200, or 207 multi-status). Only an
 * input the answer lists among its results was written.
 *
 * @param byTraceId the record id of each result that carries an
 * {@code objectWriteTraceId}
 * @param byEmail the record id of each result by its lower-cased email (HubSpot does not
 * always echo a trace id as it was sent, and emails are unique within a batch)
 * @param byRecordId the record ids of the results
 * @param refused HubSpot's error for each input it refused, by its
 * {@code objectWriteTraceId} or its {@code id}
 * @param created the record ids of the contacts an upsert created ({@code "new": true})
 */
public record BatchResult(Map<String, String> byTraceId, Map<String, String> byEmail, Map<String, String> byRecordId,
		Map<String, HubSpotError> refused, Set<String> created) {

	public BatchResult {
		byTraceId = Map.copyOf(byTraceId);
		byEmail = Map.copyOf(byEmail);
		byRecordId = Map.copyOf(byRecordId);
		refused = Map.copyOf(refused);
		created = Set.copyOf(created);
	}

	/** Whether the contact the input wrote was made by this upsert. */
	public boolean created(ContactInput input) {
		String id = written(input);
		return id != null && this.created.contains(id);
	}

	/** The record id of the contact the input wrote, when the answer lists it. */
	public @Nullable String written(ContactInput input) {
		String id = this.byTraceId.get(input.objectWriteTraceId());
		if (id == null) {
			id = input.isByEmail() ? this.byEmail.get(input.id().toLowerCase(Locale.ROOT))
					: this.byRecordId.get(input.id());
		}
		return id;
	}

	/** HubSpot's refusal of the input, when the answer lists it among its errors. */
	public @Nullable HubSpotException refusal(ContactInput input) {
		HubSpotError error = this.refused.get(input.objectWriteTraceId());
		if (error == null && !input.isByEmail()) {
			error = this.refused.get(input.id());
		}
		return (error != null) ? HubSpotException.ofInput(error) : null;
	}

}
