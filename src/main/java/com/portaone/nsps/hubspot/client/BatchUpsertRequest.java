package com.portaone.nsps.hubspot.client;

import java.util.List;

/**
 * The body of {@code POST /crm/v3/objects/contacts/batch/upsert}.
 */
record BatchUpsertRequest(List<BatchUpsertInput> inputs) {

	BatchUpsertRequest {
		inputs = List.copyOf(inputs);
	}

}
