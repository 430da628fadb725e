package com.portaone.nsps.hubspot;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class RequiredSettingsCheckTest {

	@Test
	void namesEveryMissingOrBlankSetting() {
		assertThat(RequiredSettingsCheck.missing(new MockEnvironment())).containsExactly("ACCESS_TOKEN", "API_TOKEN");
		assertThat(RequiredSettingsCheck
			.missing(new MockEnvironment().withProperty("connector.hubspot.access-token", "pat")
				.withProperty("connector.inbound.api-tokens", "  ")))
			.containsExactly("API_TOKEN");
		assertThat(RequiredSettingsCheck
			.missing(new MockEnvironment().withProperty("connector.hubspot.access-token", "pat")
				.withProperty("connector.inbound.api-tokens", "nsps")))
			.isEmpty();
	}

	@Test
	void startUpStopsWithOneLineNamingTheMissingSettings() {
		SpringApplication application = new SpringApplication(ConnectorApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.addListeners(new RequiredSettingsCheck());
		// Arguments outrank the test tokens on the test classpath.
		Throwable failure = catchThrowable(
				() -> application.run("--connector.hubspot.access-token=", "--connector.inbound.api-tokens="));
		assertThat(failure).isInstanceOf(MissingSettingsException.class)
			.hasMessageStartingWith("Missing required settings: ACCESS_TOKEN, API_TOKEN");
		FailureAnalysis analysis = new MissingSettingsFailureAnalyzer().analyze(failure);
		assertThat(analysis.getDescription()).isEqualTo(failure.getMessage()).doesNotContain("\n");
	}

}
