package com.portaone.nsps.hubspot.hubspot;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import com.portaone.nsps.hubspot.metrics.ConnectorMetrics;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * HubSpot's Properties API for contacts ({@code /crm/v3/properties/contacts}), derived
 * from {@code EXTERNAL_API_BASE_URL}.
 */
@Component
public class HubSpotPropertiesClient {

	private static final String OBJECTS_PATH = "/crm/v3/objects/contacts";

	private static final String PROPERTIES_PATH = "/crm/v3/properties/contacts";

	private final RestClient restClient;

	private final HubSpotErrors errors = new HubSpotErrors();

	private final ConnectorMetrics metrics;

	public HubSpotPropertiesClient(RestClient.Builder builder, HubSpotSettings settings, ConnectorMetrics metrics) {
		this.metrics = metrics;
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.timeout())
			.build());
		requestFactory.setReadTimeout(settings.timeout());
		this.restClient = builder.clone()
			.requestFactory(requestFactory)
			.baseUrl(propertiesUrl(settings.contactsUrl()))
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + settings.accessToken())
			.build();
	}

	/** The properties endpoint beside the configured contacts endpoint. */
	static String propertiesUrl(String contactsUrl) {
		if (contactsUrl.endsWith(OBJECTS_PATH)) {
			return contactsUrl.substring(0, contactsUrl.length() - OBJECTS_PATH.length()) + PROPERTIES_PATH;
		}
		URI uri = URI.create(contactsUrl);
		return uri.getScheme() + "://" + uri.getRawAuthority() + PROPERTIES_PATH;
	}

	/**
	 * Whether the portal has the contact property: {@code GET .../{name}}, 200 or 404.
	 */
	public boolean exists(String name) {
		long start = System.nanoTime();
		String[] status = { "io_error" };
		try {
			return this.restClient.get()
				.uri("/{name}", name)
				.accept(MediaType.APPLICATION_JSON)
				.exchange((request, response) -> {
					HttpStatusCode code = response.getStatusCode();
					status[0] = Integer.toString(code.value());
					if (code.value() == 404) {
						return false;
					}
					if (!code.is2xxSuccessful()) {
						throw this.errors.exception(response);
					}
					return true;
				});
		}
		catch (ResourceAccessException ex) {
			throw HubSpotErrors.unreachable(ex);
		}
		finally {
			this.metrics.hubSpotRequest("get_property", status[0], Duration.ofNanos(System.nanoTime() - start));
		}
	}

	/** Creates a contact property: {@code POST /crm/v3/properties/contacts}. */
	public void create(ContactPropertyDefinition property) {
		long start = System.nanoTime();
		String[] status = { "io_error" };
		try {
			this.restClient.post()
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.body(property)
				.exchange((request, response) -> {
					status[0] = Integer.toString(response.getStatusCode().value());
					if (!response.getStatusCode().is2xxSuccessful()) {
						throw this.errors.exception(response);
					}
					return null;
				});
		}
		catch (ResourceAccessException ex) {
			throw HubSpotErrors.unreachable(ex);
		}
		finally {
			this.metrics.hubSpotRequest("create_property", status[0], Duration.ofNanos(System.nanoTime() - start));
		}
	}

}
