package com.portaone.nsps.hubspot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Stops the start-up with one line naming every required setting that is missing, before
 * anything else fails on it.
 */
class RequiredSettingsCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	/** Environment name, then the property it is bound to. */
	private static final Map<String, String> REQUIRED = new LinkedHashMap<>(
			Map.of("ACCESS_TOKEN", "connector.hubspot.access-token", "API_TOKEN", "connector.inbound.api-tokens"));

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		List<String> missing = missing(event.getEnvironment());
		if (!missing.isEmpty()) {
			throw new MissingSettingsException(missing);
		}
	}

	static List<String> missing(Environment environment) {
		return REQUIRED.entrySet().stream().filter((setting) -> {
			String value = environment.getProperty(setting.getValue());
			return value == null || value.isBlank();
		}).map(Map.Entry::getKey).sorted().toList();
	}

}
