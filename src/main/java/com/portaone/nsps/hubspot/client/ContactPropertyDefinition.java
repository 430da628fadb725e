package com.portaone.nsps.hubspot.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A custom contact property as the Properties API creates it.
 *
 * @param options for a {@code bool}: its two values
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ContactPropertyDefinition(String name, String label, String type, String fieldType, String groupName,
		@Nullable List<Option> options) {

	private static final String GROUP = "contactinformation";

	/** The custom properties the mapping writes (SPEC section 3). */
	static final List<ContactPropertyDefinition> REQUIRED = List.of(number("account_id", "Account ID"),
			bool("has_add_ons", "Has add-ons"), number("sim_card_id", "SIM card ID"), text("imsi", "IMSI"),
			text("type", "Type"));

	static ContactPropertyDefinition number(String name, String label) {
		return new ContactPropertyDefinition(name, label, "number", "number", GROUP, null);
	}

	static ContactPropertyDefinition bool(String name, String label) {
		return new ContactPropertyDefinition(name, label, "bool", "booleancheckbox", GROUP,
				List.of(new Option("Yes", "true", false, 0), new Option("No", "false", false, 1)));
	}

	static ContactPropertyDefinition text(String name, String label) {
		return new ContactPropertyDefinition(name, label, "string", "text", GROUP, null);
	}

	/** One value of an enumerated or boolean property. */
	record Option(String label, String value, boolean hidden, int displayOrder) {

	}

}
