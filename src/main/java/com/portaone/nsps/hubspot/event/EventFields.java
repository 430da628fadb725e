package com.portaone.nsps.hubspot.event;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.filter.TokenFilter;

/**
 * The parts of an NSPS event the connector reads, as a filter over the JSON tokens, so
 * that the rest (NSPS events reach 1 MB, mostly of data the connector ignores) is checked
 * for syntax as it streams past but never built into a tree. A value at a known path is
 * kept whatever its type, so that a wrong type is still reported as such.
 */
final class EventFields extends TokenFilter {

	/** A value kept whole. */
	private static final EventFields LEAF = new EventFields(Map.of(), null);

	static final EventFields EVENT = new EventFields(Map.of("event_id", LEAF, "data",
			new EventFields(
					Map.of("event_type", LEAF, "variables", new EventFields(Map.of("event_time", LEAF), null)), null),
			"pb_data",
			new EventFields(
					Map.of("account_info",
							new EventFields(
									Map.of("i_account", LEAF, "email", LEAF, "phone1", LEAF, "firstname", LEAF,
											"lastname", LEAF, "billing_model", LEAF, "assigned_addons",
											new EventFields(Map.of(), new EventFields(Map.of("name", LEAF), null))),
									null),
							"sim_info", new EventFields(Map.of("i_sim_card", LEAF, "imsi", LEAF), null)),
					null)),
			null);

	private final Map<String, EventFields> properties;

	private final @Nullable EventFields elements;

	private EventFields(Map<String, EventFields> properties, @Nullable EventFields elements) {
		this.properties = properties;
		this.elements = elements;
	}

	@Override
	public @Nullable TokenFilter includeProperty(String name) {
		EventFields child = this.properties.get(name);
		return (child == LEAF) ? TokenFilter.INCLUDE_ALL : child;
	}

	@Override
	public @Nullable TokenFilter includeElement(int index) {
		return this.elements;
	}

	@Override
	public TokenFilter includeRootValue(int index) {
		return this;
	}

	@Override
	public boolean includeEmptyArray(boolean contentsFiltered) {
		return true;
	}

	@Override
	public boolean includeEmptyObject(boolean contentsFiltered) {
		return true;
	}

}
