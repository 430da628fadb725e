package com.portaone.nsps.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code MANAGEMENT_PORT} moves probes and metrics off the API port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "MANAGEMENT_PORT=0", "EXTERNAL_API_BASE_URL=http://127.0.0.1:9/crm/v3/objects/contacts" })
class ManagementPortTest {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Test
	void actuatorAnswersOnTheManagementPortOnly() throws Exception {
		assertThat(this.managementPort).isNotEqualTo(this.port);
		assertThat(status(this.managementPort, "/actuator/health/readiness")).isEqualTo(200);
		assertThat(status(this.managementPort, "/actuator/prometheus")).isEqualTo(200);
		assertThat(status(this.port, "/actuator/health/readiness")).isEqualTo(404);
		assertThat(status(this.port, "/health")).isEqualTo(200);
		// Cluster-internal: metrics without a token there, never on the API port.
		assertThat(status(this.managementPort, "/actuator/metrics")).isEqualTo(200);
		assertThat(status(this.port, "/actuator/prometheus")).isEqualTo(401);
	}

	private int status(int port, String path) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
