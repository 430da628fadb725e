package com.portaone.nsps.hubspot;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.FieldError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A setting out of its range stops the start-up, naming the setting's property, rather
 * than a connector that hangs or answers nothing: the environment names of
 * {@code application.yml}, bound as the connector binds them.
 */
class SettingsValidationTest {

	private final ApplicationContextRunner settings = new ApplicationContextRunner()
		.withInitializer(new ConfigDataApplicationContextInitializer())
		.withUserConfiguration(AllSettings.class);

	@Test
	void theDefaultsBind() {
		this.settings.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource({ "MAX_EVENTS_IN_FLIGHT, 0, connector.inbound.maxEventsInFlight",
			"EVENT_DEADLINE_SECONDS, 0, connector.sync.eventDeadline", "SYNC_WORKERS, 0, connector.sync.workers",
			"EVENT_TIME_MAX_SKEW_SECONDS, -1, connector.sync.eventTimeSkew",
			"HUBSPOT_UNCHANGED_TTL_HOURS, -1, connector.sync.unchangedTtl",
			"HTTP_TIMEOUT_SECONDS, 0, connector.hubspot.timeout",
			"HUBSPOT_REQUESTS_PER_SECOND, 0, connector.hubspot.requestsPerSecond",
			"HUBSPOT_MAX_PERMIT_WAIT_SECONDS, -1, connector.hubspot.maxPermitWait",
			"HUBSPOT_DAILY_LIMIT_COOLDOWN_MINUTES, -1, connector.hubspot.dailyLimitCooldown",
			"HUBSPOT_MAX_RETRIES, -1, connector.hubspot.maxRetries",
			"HUBSPOT_INITIAL_BACKOFF_MILLIS, -1, connector.hubspot.initialBackoff",
			"HUBSPOT_PORTAL_RECHECK_SECONDS, 0, connector.hubspot.portalRecheck",
			"HUBSPOT_IN_DOUBT_MARGIN_SECONDS, -1, connector.hubspot.inDoubtMargin",
			"REDELIVERY_STORE_SIZE, 0, connector.store.size", "REDELIVERY_STORE_TTL_DAYS, 0, connector.store.ttl",
			"REDIS_TIMEOUT_MILLIS, 0, connector.redis.timeout" })
	void aSettingOutOfRangeStopsTheStartUpNamingIt(String environmentName, String value, String property) {
		this.settings.withPropertyValues(environmentName + "=" + value).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class);
			BindValidationException failure = (BindValidationException) rootCause(context.getStartupFailure());
			List<String> refused = failure.getValidationErrors()
				.getAllErrors()
				.stream()
				.map((error) -> failure.getValidationErrors().getName() + "." + ((FieldError) error).getField())
				.toList();
			assertThat(refused).containsExactly(property);
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource({ "EVENT_DEADLINE_SECONDS, 1", "SYNC_WORKERS, 1", "HUBSPOT_MAX_RETRIES, 0",
			"HUBSPOT_MAX_PERMIT_WAIT_SECONDS, 0", "HUBSPOT_UNCHANGED_TTL_HOURS, 0",
			"HUBSPOT_IN_DOUBT_MARGIN_SECONDS, 0", "HUBSPOT_REQUESTS_PER_SECOND, 0.5", "MAX_EVENTS_IN_FLIGHT, 1",
			"REDELIVERY_STORE_SIZE, 1" })
	void theLowestValueInRangeBinds(String environmentName, String value) {
		this.settings.withPropertyValues(environmentName + "=" + value)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Configuration(proxyBeanMethods = false)
	@ConfigurationPropertiesScan("com.portaone.nsps.hubspot")
	static class AllSettings {

	}

}
