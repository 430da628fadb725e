package com.portaone.nsps.hubspot.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Maps a validated SIM event to HubSpot contact properties (SPEC section 3). Absent
 * values are left out so that they never clear what HubSpot holds.
 */
public final class ContactMapping {

	/** The contact property HubSpot finds a contact by. */
	public static final String EMAIL = "email";

	/**
	 * Every property the mapping writes, the email first, in a fixed order: each is
	 * ordered and compared on its own.
	 */
	public static final List<String> PROPERTIES = List.of(EMAIL, "firstname", "lastname", "phone", "account_id",
			"has_add_ons", "sim_card_id", "imsi", "type");

	private ContactMapping() {
	}

	/**
	 * Maps a supported event that passed validation.
	 * @param event a SIM/Created or SIM/Updated event
	 * @return the contact write
	 */
	public static ContactUpsert toUpsert(NspsEvent event) {
		EventData data = Objects.requireNonNull(event.data());
		PbData pbData = Objects.requireNonNull(event.pbData());
		AccountInfo account = pbData.accountInfo();
		SimInfo sim = pbData.simInfo();
		String email = Objects.requireNonNull(account.email(), "validated events carry an email");
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(EMAIL, email);
		put(properties, "firstname", account.firstname());
		put(properties, "lastname", account.lastname());
		put(properties, "phone", account.phone1());
		put(properties, "account_id", decimal(account.iAccount()));
		put(properties, "has_add_ons", hasAddOns(account.assignedAddons()));
		put(properties, "sim_card_id", decimal(sim.iSimCard()));
		put(properties, "imsi", sim.imsi());
		put(properties, "type", contactType(account.billingModel()));
		return new ContactUpsert(Objects.requireNonNull(event.eventId()), event.eventType(), account.iAccount(), email,
				properties, data.eventTime());
	}

	/** {@code credit_account} becomes {@code CREDIT ACCOUNT}. */
	static @Nullable String contactType(@Nullable String billingModel) {
		return (billingModel != null) ? billingModel.toUpperCase(Locale.ROOT).replace('_', ' ') : null;
	}

	private static @Nullable String hasAddOns(@Nullable AssignedAddOns addOns) {
		return (addOns != null) ? Boolean.toString(addOns.count() > 0) : null;
	}

	private static @Nullable String decimal(@Nullable Long value) {
		return (value != null) ? Long.toString(value) : null;
	}

	private static void put(Map<String, String> properties, String name, @Nullable String value) {
		if (value != null) {
			properties.put(name, value);
		}
	}

}
