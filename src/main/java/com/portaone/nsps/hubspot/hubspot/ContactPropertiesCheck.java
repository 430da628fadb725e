package com.portaone.nsps.hubspot.hubspot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Checks at start-up that the portal has the custom contact properties the mapping
 * writes, and creates the missing ones when allowed to. Runs in the background: a HubSpot
 * that cannot be reached must not hold up the start.
 */
@Component
public class ContactPropertiesCheck {

	private static final Logger log = LoggerFactory.getLogger(ContactPropertiesCheck.class);

	private final HubSpotPropertiesClient client;

	private final HubSpotRequestBudget budget;

	private final HubSpotPortalStatus status;

	private final PropertyBootstrapSettings settings;

	public ContactPropertiesCheck(HubSpotPropertiesClient client, HubSpotRequestBudget budget,
			HubSpotPortalStatus status, PropertyBootstrapSettings settings) {
		this.client = client;
		this.budget = budget;
		this.status = status;
		this.settings = settings;
	}

	@EventListener(ApplicationReadyEvent.class)
	void checkInBackground() {
		Thread thread = new Thread(this::check, "hubspot-properties-check");
		thread.setDaemon(true);
		thread.start();
	}

	/**
	 * Checks, and creates what is missing when allowed; the outcome lands in
	 * {@link HubSpotPortalStatus}.
	 */
	public void check() {
		try {
			List<ContactPropertyDefinition> missing = new ArrayList<>();
			for (ContactPropertyDefinition property : ContactPropertyDefinition.REQUIRED) {
				this.budget.acquire(Duration.ofMinutes(1));
				this.budget.beforeSend();
				if (!this.client.exists(property.name())) {
					missing.add(property);
				}
			}
			if (!missing.isEmpty() && this.settings.create()) {
				for (ContactPropertyDefinition property : missing) {
					this.budget.acquire(Duration.ofMinutes(1));
					this.budget.beforeSend();
					this.client.create(property);
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
		catch (HubSpotException | HubSpotUnreachableException | RequestBudgetExhaustedException ex) {
			log.warn("Could not check HubSpot's contact properties: {}", ex.getMessage());
		}
	}

	private static List<String> names(List<ContactPropertyDefinition> properties) {
		return properties.stream().map(ContactPropertyDefinition::name).toList();
	}

}
