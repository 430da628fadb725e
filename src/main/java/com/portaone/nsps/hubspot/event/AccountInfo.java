package com.portaone.nsps.hubspot.event;

import java.util.List;

import com.portaone.nsps.hubspot.event.NspsEvent.SimCreated;
import com.portaone.nsps.hubspot.event.NspsEvent.SimUpdated;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code pb_data.account_info}: the subscriber's account. The phone pattern is
 * configurable and therefore declared in {@link EventValidation}.
 *
 * @param assignedAddons names of the add-ons assigned to the account (an empty list is
 * present, not absent)
 */
record AccountInfo(@NotNull(message = "is required", groups = SimCreated.class) @Nullable Long iAccount,
		@NotNull(message = "is required", groups = {
				SimCreated.class, SimUpdated.class }) @Pattern(regexp = AccountInfo.EMAIL_PATTERN,
						message = "must be a valid email address",
						groups = { SimCreated.class, SimUpdated.class }) @Nullable String email,
		@NotNull(message = "is required", groups = SimCreated.class) @Nullable String phone1,
		@NotNull(message = "is required", groups = SimCreated.class) @Nullable String firstname,
		@NotNull(message = "is required", groups = SimCreated.class) @Nullable String lastname,
		@NotNull(message = "is required", groups = SimCreated.class) @Nullable List<String> assignedAddons,
		@NotNull(message = "is required", groups = SimCreated.class) @Nullable String billingModel){

	static final String EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

	public AccountInfo {
		assignedAddons = (assignedAddons != null) ? List.copyOf(assignedAddons) : null;
	}

	static AccountInfo empty() {
		return new AccountInfo(null, null, null, null, null, null, null);
	}

}
