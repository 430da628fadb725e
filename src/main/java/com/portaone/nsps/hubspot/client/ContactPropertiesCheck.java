package com.portaone.nsps.hubspot.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Checks that the portal has the custom contact properties the mapping writes, and
 * creates the missing ones when allowed to: once at start-up, in the background (an
 * unreachable HubSpot must not hold up the start), then again every
 * {@code HUBSPOT_PORTAL_RECHECK_SECONDS} for as long as HubSpot refuses the token, the
 * properties are missing or could not be checked. A successful check clears a refused
 * token too, so a fixed portal brings readiness back without a restart. Each check's
 * requests go through the request budget.
 */
@Component
class ContactPropertiesCheck {

	private static final Logger log = LoggerFactory.getLogger(ContactPropertiesCheck.class);

	private final HubSpotPropertiesClient client;

	private final HubSpotRequestBudget budget;

	private final HubSpotPortalStatus status;

	private final PropertyBootstrapSettings settings;

	private final Duration recheck;

	private final TaskScheduler scheduler;

	ContactPropertiesCheck(HubSpotPropertiesClient client, HubSpotRequestBudget budget, HubSpotPortalStatus status,
			PropertyBootstrapSettings settings, HubSpotSettings hubSpot,
			@Qualifier(HubSpotClientConfiguration.PORTAL_CHECKS) TaskScheduler scheduler) {
		this.scheduler = scheduler;
		this.client = client;
		this.budget = budget;
		this.status = status;
		this.settings = settings;
		this.recheck = hubSpot.portalRecheck();
	}

	@EventListener(ApplicationReadyEvent.class)
	void checkInBackground() {
		this.scheduler.schedule(this::check, Instant.now());
		this.scheduler.scheduleWithFixedDelay(this::recheckIfNeeded, Instant.now().plus(this.recheck), this.recheck);
	}

	private void recheckIfNeeded() {
		if (this.status.needsRecheck()) {
			check();
		}
	}

	/**
	 * Checks, and creates what is missing when allowed; the outcome lands in
	 * {@link HubSpotPortalStatus}.
	 */
	void check() {
		try {
			List<ContactPropertyDefinition> missing = new ArrayList<>();
			for (ContactPropertyDefinition property : ContactPropertyDefinition.REQUIRED) {
				if (!this.client.exists(this.budget.acquire(Duration.ofMinutes(1)), property.name())) {
					missing.add(property);
				}
			}
			if (!missing.isEmpty() && this.settings.create()) {
				for (ContactPropertyDefinition property : missing) {
					this.client.create(this.budget.acquire(Duration.ofMinutes(1)), property);
					log.info("Created HubSpot contact property {} ({})", property.name(), property.type());
				}
				missing.clear();
			}
			if (missing.isEmpty()) {
				this.status.propertiesPresent();
				log.info("HubSpot contact properties present: {}", names(ContactPropertyDefinition.REQUIRED));
			}
			else {
				this.status.propertiesMissing(names(missing));
				log.error("HubSpot portal lacks the contact properties {}: create them, or set"
						+ " HUBSPOT_CREATE_PROPERTIES=true; until then every write is refused", names(missing));
			}
		}
		catch (RuntimeException ex) {
			// HubSpot, the budget or the shared state failed: asked again at the next
			// check.
			log.warn("Could not check HubSpot's contact properties: {}", ex.getMessage());
		}
	}

	private static List<String> names(List<ContactPropertyDefinition> properties) {
		return properties.stream().map(ContactPropertyDefinition::name).toList();
	}

}
