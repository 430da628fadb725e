package com.portaone.nsps.hubspot;

import java.net.http.HttpResponse;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code LOG_LEVEL=DEBUG}, as an operator sets it to look closer: one event's way to
 * HubSpot still leaves neither a token nor the subscriber's data in the log.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "LOG_LEVEL=DEBUG")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class DebugLoggingTest {

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
	}

	/** Levels stay in the JVM: the tests after this one log at INFO again. */
	@AfterAll
	static void stopStandInAndDebug() {
		standIn.close();
		LoggingSystem.get(DebugLoggingTest.class.getClassLoader())
			.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
	}

	@Test
	void anEventSyncedAtDebugLeavesNoTokenAndNoSubscriberDataInTheLog(CapturedOutput output) throws Exception {
		HttpResponse<String> response = ConnectorEndToEndTest.postExampleEvent(this.port);

		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(standIn.contact("Olena.Koval@example.com")).isPresent();
		assertThat(output.getOut()).contains("DEBUG")
			.doesNotContain("test-api-token", standIn.accessToken(), "Koval", "001010000020349");
	}

}
