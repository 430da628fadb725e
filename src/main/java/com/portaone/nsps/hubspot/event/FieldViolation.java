package com.portaone.nsps.hubspot.event;

/**
 * One reason an event was refused.
 *
 * @param field the JSON path of the field, such as {@code pb_data.sim_info.imsi}
 * @param message what is wrong with it
 */
public record FieldViolation(String field, String message) {

	@Override
	public String toString() {
		return this.field + ": " + this.message;
	}

}
