package com.portaone.nsps.hubspot.event;

import com.portaone.nsps.hubspot.event.NspsEvent.SimCreated;
import com.portaone.nsps.hubspot.event.NspsEvent.SimUpdated;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code pb_data.account_info}: the subscriber's account. The phone pattern is
 * configurable and therefore declared in {@link EventValidation}.
 *
 * @param assignedAddons the add-ons assigned to the account (an empty list is present,
 * not absent)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record AccountInfo(
		@JsonDeserialize(using = EventValues.Integral.class) @NotNull(message = "is required",
				groups = SimCreated.class) @Nullable Long iAccount,
		@JsonDeserialize(using = EventValues.Text.class) @NotNull(message = "is required", groups = {
				SimCreated.class, SimUpdated.class }) @Pattern(regexp = AccountInfo.EMAIL_PATTERN,
						message = "must be a valid email address",
						groups = { SimCreated.class, SimUpdated.class }) @Nullable String email,
		@JsonDeserialize(using = EventValues.Text.class) @NotNull(message = "is required",
				groups = SimCreated.class) @Nullable String phone1,
		@JsonDeserialize(using = EventValues.Text.class) @NotNull(message = "is required",
				groups = SimCreated.class) @Nullable String firstname,
		@JsonDeserialize(using = EventValues.Text.class) @NotNull(message = "is required",
				groups = SimCreated.class) @Nullable String lastname,
		@JsonDeserialize(using = EventValues.AddOns.class) @NotNull(message = "is required",
				groups = SimCreated.class) @Nullable AssignedAddOns assignedAddons,
		@JsonDeserialize(using = EventValues.Text.class) @NotNull(message = "is required",
				groups = SimCreated.class) @Nullable String billingModel){

	static final String EMAIL_PATTERN = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

	static final AccountInfo EMPTY = new AccountInfo(null, null, null, null, null, null, null);

}
