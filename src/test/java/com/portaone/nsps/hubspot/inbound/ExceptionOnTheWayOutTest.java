package com.portaone.nsps.hubspot.inbound;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.portaone.nsps.hubspot.standin.HubSpotStandIn;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A filter inside {@link EventAnswerFilter} that throws once the event is submitted: on a
 * real Tomcat, NSPS gets the error page's 500 in NSPS's format at once (whether the
 * event's outcome came before the exception or after), never the outcome written under it
 * and never a wait for the backstop; the connector goes on answering.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "logging.level.org.apache.catalina.core=OFF")
@Import(ExceptionOnTheWayOutTest.ThrowsOnTheWayOut.class)
class ExceptionOnTheWayOutTest {

	private static final String THROW = "X-Throw-On-The-Way-Out";

	private static final HubSpotStandIn standIn = HubSpotStandIn.start(0);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void hubSpot(DynamicPropertyRegistry registry) {
		standIn.registerAsHubSpot(registry);
	}

	@AfterAll
	static void stopStandIn() {
		standIn.close();
	}

	@Test
	void theExceptionIsAnswered500AndTheNextEventAccepted() throws Exception {
		HttpResponse<String> failed = post("thrown-1", true);
		assertThat(failed.statusCode()).isEqualTo(500);
		JsonNode body = json.readTree(failed.body());
		assertThat(body.path("message").asString()).isEqualTo("Internal server error");
		assertThat(body.path("type").asString()).isEqualTo("INTERNAL_ERROR");

		HttpResponse<String> next = post("thrown-2", false);
		assertThat(next.statusCode()).isEqualTo(202);
		HttpResponse<String> health = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/health")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> post(String eventId, boolean throwing) throws Exception {
		ObjectNode event = (ObjectNode) BadEventGenerator.sample("sim-created");
		event.put("event_id", eventId);
		((ObjectNode) event.path("pb_data").path("account_info")).put("email", eventId + "@example.com");
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/process-event"))
			.header("Authorization", BadEventGenerator.BEARER)
			.header("Content-Type", "application/json")
			// Well inside the 30 s backstop past the event's deadline.
			.timeout(Duration.ofSeconds(15))
			.POST(BodyPublishers.ofString(json.writeValueAsString(event)));
		if (throwing) {
			request.header(THROW, "yes");
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Just inside {@link EventAnswerFilter}: throws on its way out when asked to. */
	@Order(Ordered.HIGHEST_PRECEDENCE + 1)
	static class ThrowsOnTheWayOut extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			chain.doFilter(request, response);
			if (request.getHeader(THROW) != null) {
				throw new IllegalStateException("a filter failed on its way out");
			}
		}

	}

}
