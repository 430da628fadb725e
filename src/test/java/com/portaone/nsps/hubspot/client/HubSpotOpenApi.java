package com.portaone.nsps.hubspot.client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * Checks the requests a WireMock stand-in received against HubSpot's published OpenAPI
 * files (contacts v3, contacts 2026-03 for {@code /crm/objects/2026-03/contacts}, and
 * properties v3 for the properties API of either version), so that every body the client
 * sends is held to HubSpot's contract.
 * <p>
 * Security: every contacts operation in the file requires {@code oauth2}, which the
 * validator does not check (it logs "Security scheme 'oauth2' not currently supported"
 * and reports nothing), so no message is ignored on that account; the Bearer header is
 * asserted by the tests themselves.
 */
public final class HubSpotOpenApi {

	/** Relative to Maven's working directory, the project root. */
	static final Path SPECIFICATION = Path.of("src/test/resources/hubspot/contacts-v3.openapi.json");

	static final Path DATED_SPECIFICATION = Path.of("src/test/resources/hubspot/contacts-2026-03.openapi.json");

	static final Path PROPERTIES_SPECIFICATION = Path.of("src/test/resources/hubspot/properties-v3.openapi.json");

	static final String CONTACTS_PATH = "/crm/v3/objects/contacts";

	static final String PROPERTIES_PATH = "/crm/v3/properties";

	static final String DATED_CONTACTS_PATH = "/crm/objects/2026-03/contacts";

	private static final OpenApiInteractionValidator VALIDATOR = createValidator(SPECIFICATION);

	private static final OpenApiInteractionValidator DATED_VALIDATOR = createValidator(DATED_SPECIFICATION);

	private static final OpenApiInteractionValidator PROPERTIES_VALIDATOR = createValidator(PROPERTIES_SPECIFICATION);

	/** The date-versioned properties API has the v3 bodies; only its path differs. */
	private static final Pattern DATED_PROPERTIES = Pattern.compile("^/crm/properties/[0-9]{4}-[0-9]{2}/");

	private HubSpotOpenApi() {
	}

	private static OpenApiInteractionValidator createValidator(Path specification) {
		if (!Files.isRegularFile(specification)) {
			throw new IllegalStateException("HubSpot's OpenAPI file not found at " + specification.toAbsolutePath());
		}
		// The file's only server is https://api.hubapi.com, without a base path, so its
		// paths (/crm/v3/objects/contacts...) match the stand-in's paths as they are: no
		// base path override is needed.
		return OpenApiInteractionValidator.createForSpecificationUrl(specification.toAbsolutePath().toString()).build();
	}

	/**
	 * Fails with every violation in the requests WireMock received.
	 * @param serveEvents the stand-in's serve events
	 */
	public static void assertRequestsValid(List<ServeEvent> serveEvents) {
		List<String> problems = new ArrayList<>();
		for (ServeEvent event : serveEvents) {
			LoggedRequest request = event.getRequest();
			for (ValidationReport.Message message : validate(request).getMessages()) {
				if (message.getLevel() != ValidationReport.Level.ERROR) {
					continue;
				}
				problems.add(request.getMethod() + " " + request.getUrl() + " " + request.getBodyAsString() + " -> "
						+ message.getKey() + ": " + message.getMessage());
			}
		}
		if (!problems.isEmpty()) {
			throw new AssertionError("Requests violate HubSpot's contacts v3 OpenAPI:\n" + String.join("\n", problems));
		}
	}

	/**
	 * Validates one received request.
	 * @param request the request as WireMock logged it
	 * @return the validator's report
	 */
	public static ValidationReport validate(LoggedRequest request) {
		String path = URI.create(request.getUrl()).getRawPath();
		if (path.startsWith(PROPERTIES_PATH)) {
			return PROPERTIES_VALIDATOR.validateRequest(toRequest(request, path));
		}
		if (DATED_PROPERTIES.matcher(path).find()) {
			return PROPERTIES_VALIDATOR.validateRequest(
					toRequest(request, DATED_PROPERTIES.matcher(path).replaceFirst(PROPERTIES_PATH + "/")));
		}
		if (path.startsWith(DATED_CONTACTS_PATH)) {
			return DATED_VALIDATOR.validateRequest(toRequest(request, path));
		}
		return VALIDATOR.validateRequest(toRequest(request, path));
	}

	static Request toRequest(LoggedRequest logged, String path) {
		SimpleRequest.Builder builder = new SimpleRequest.Builder(logged.getMethod().getName(), path);
		for (QueryParameter parameter : logged.getQueryParams().values()) {
			builder.withQueryParam(parameter.key(), parameter.values());
		}
		for (HttpHeader header : logged.getHeaders().all()) {
			builder.withHeader(header.key(), header.values());
		}
		byte[] body = logged.getBody();
		if (body != null && body.length > 0) {
			builder.withBody(body);
		}
		return builder.build();
	}

}
