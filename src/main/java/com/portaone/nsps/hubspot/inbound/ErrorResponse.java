package com.portaone.nsps.hubspot.inbound;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.portaone.nsps.hubspot.event.FieldViolation;
import org.jspecify.annotations.Nullable;

/**
 * NSPS's ErrorResponse: kept in NSPS's Event History, so it must tell an operator what
 * went wrong.
 *
 * @param message the kind of failure
 * @param error the specific reason
 * @param type one of VALIDATION_ERROR, AUTHENTICATION_ERROR, SERVICE_ERROR,
 * CONNECTION_ERROR, RATE_LIMIT_ERROR, INTERNAL_ERROR
 * @param details the fields that failed validation, when there are any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ErrorResponse(String message, String error, String type, @Nullable List<FieldViolation> details) {

	ErrorResponse(String message, String error, String type) {
		this(message, error, type, null);
	}

}
