package com.portaone.nsps.hubspot.hubspot;

import java.util.List;

/**
 * The body of {@code POST /crm/v3/objects/contacts/batch/upsert}.
 */
public record BatchUpsertRequest(List<BatchUpsertInput> inputs) {

	public BatchUpsertRequest {
		inputs = List.copyOf(inputs);
	}

}
