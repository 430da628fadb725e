package com.portaone.nsps.hubspot.hubspot;

import java.util.Map;

/**
 * What HubSpot answered to a batch upsert that it accepted (200, or 207 multi-status).
 *
 * @param failedInputs HubSpot's message for each input that failed, by its
 * {@code objectWriteTraceId}; empty when every input was written
 */
public record BatchUpsertResult(Map<String, String> failedInputs) {

	public BatchUpsertResult {
		failedInputs = Map.copyOf(failedInputs);
	}

}
