package com.portaone.nsps.hubspot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.core.env.Environment;

/**
 * Runs the connector against a local HubSpot stand-in, for trying it out without a
 * HubSpot account: {@code ./mvnw spring-boot:test-run}. Test code only, so the stand-in
 * can never be part of the production jar.
 */
public final class LocalConnectorApplication {

	static final String LOCAL_API_TOKEN = "local-dev-token";

	private LocalConnectorApplication() {
	}

	public static void main(String[] args) {
		int standInPort = Integer.parseInt(System.getenv().getOrDefault("STANDIN_PORT", "8090"));
		HubSpotStandIn standIn = HubSpotStandIn.start(standInPort);
		// HubSpot answers in roughly this time; the local run should feel the same.
		standIn.setLatency(Duration.ofMillis(150), 0.2);
		SpringApplication application = new SpringApplication(ConnectorApplication.class);
		application
			.addListeners((ApplicationReadyEvent ready) -> printHowToTry(ready.getApplicationContext().getEnvironment(),
					standIn));
		// Arguments outrank the test tokens on the test classpath and any .env file.
		List<String> arguments = new ArrayList<>(List.of("--connector.inbound.api-tokens=" + LOCAL_API_TOKEN,
				"--connector.hubspot.access-token=" + standIn.accessToken(),
				"--connector.hubspot.base-url=" + standIn.contactsUrl()));
		arguments.addAll(List.of(args));
		application.run(arguments.toArray(String[]::new));
		Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
	}

	private static void printHowToTry(Environment environment, HubSpotStandIn standIn) {
		String port = environment.getProperty("local.server.port", "8000");
		String token = environment.getProperty("connector.inbound.api-tokens", LOCAL_API_TOKEN).split(",")[0].strip();
		System.out.printf("""

				Connector ready on port %1$s, writing to the HubSpot stand-in at %2$s

				Post a sample SIM/Created event (expect 202):
				  curl -i -X POST http://localhost:%1$s/process-event \\
				    -H 'Authorization: Bearer %3$s' -H 'Content-Type: application/json' \\
				    --data-binary @examples/sim-created.json

				See the contacts the stand-in holds:
				  curl -s -H 'Authorization: Bearer %4$s' %2$s

				""", port, standIn.contactsUrl(), token, standIn.accessToken());
	}

}
