package com.portaone.nsps.hubspot.event;

import com.portaone.nsps.hubspot.event.NspsEvent.SimCreated;
import com.portaone.nsps.hubspot.event.NspsEvent.SimUpdated;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.HibernateValidatorConfiguration;
import org.hibernate.validator.cfg.ConstraintMapping;
import org.hibernate.validator.cfg.defs.PatternDef;

/**
 * Builds the Bean Validation validator for events: the annotations on the event records
 * plus the patterns that come from configuration.
 */
final class EventValidation {

	private EventValidation() {
	}

	static Validator validator(EventRules rules) {
		HibernateValidatorConfiguration configuration = Validation.byProvider(HibernateValidator.class).configure();
		ConstraintMapping mapping = configuration.createConstraintMapping();
		mapping.type(AccountInfo.class)
			.field("phone1")
			.constraint(new PatternDef().regexp(rules.phonePattern())
				.message("must match {regexp}")
				.groups(SimCreated.class, SimUpdated.class));
		mapping.type(SimInfo.class)
			.field("imsi")
			.constraint(new PatternDef().regexp(rules.imsiPattern())
				.message("must match {regexp}")
				.groups(SimCreated.class, SimUpdated.class));
		return configuration.addMapping(mapping).buildValidatorFactory().getValidator();
	}

}
