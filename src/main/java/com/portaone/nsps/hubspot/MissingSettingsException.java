package com.portaone.nsps.hubspot;

import java.util.List;

/**
 * Required settings are missing; the connector cannot start.
 */
class MissingSettingsException extends RuntimeException {

	MissingSettingsException(List<String> names) {
		super("Missing required settings: " + String.join(", ", names)
				+ " (set them in the environment or in a .env file)");
	}

}
