package com.portaone.nsps.hubspot.event;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An event that cannot be synced as sent: NSPS is answered 422 naming every violation.
 */
public class InvalidEventException extends RuntimeException {

	private final List<FieldViolation> violations;

	public InvalidEventException(List<FieldViolation> violations) {
		super(violations.stream().map(FieldViolation::toString).collect(Collectors.joining("; ")));
		this.violations = List.copyOf(violations);
	}

	public List<FieldViolation> violations() {
		return this.violations;
	}

}
