package com.portaone.nsps.hubspot.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The properties and batch endpoints follow {@code EXTERNAL_API_BASE_URL}, for v3 and for
 * HubSpot's date-versioned API.
 */
class HubSpotEndpointsTest {

	@Test
	void v3() {
		HubSpotEndpoints endpoints = HubSpotEndpoints.of("https://api.hubapi.com/crm/v3/objects/contacts");
		assertThat(endpoints.contacts()).isEqualTo("https://api.hubapi.com/crm/v3/objects/contacts");
		assertThat(endpoints.batchUpsert()).isEqualTo("https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert");
		assertThat(endpoints.properties()).isEqualTo("https://api.hubapi.com/crm/v3/properties/contacts");
	}

	@Test
	void dateVersioned() {
		HubSpotEndpoints endpoints = HubSpotEndpoints.of("https://api.hubapi.com/crm/objects/2026-03/contacts/");
		assertThat(endpoints.contacts()).isEqualTo("https://api.hubapi.com/crm/objects/2026-03/contacts");
		assertThat(endpoints.batchUpsert())
			.isEqualTo("https://api.hubapi.com/crm/objects/2026-03/contacts/batch/upsert");
		assertThat(endpoints.properties()).isEqualTo("https://api.hubapi.com/crm/properties/2026-03/contacts");
		assertThat(HubSpotEndpoints.of("https://api.hubapi.com/crm/objects/2026-09/contacts").properties())
			.isEqualTo("https://api.hubapi.com/crm/properties/2026-09/contacts");
	}

	@Test
	void aProxyPrefixIsKept() {
		assertThat(HubSpotEndpoints.of("http://127.0.0.1:8090/hubspot/crm/objects/2026-03/contacts").properties())
			.isEqualTo("http://127.0.0.1:8090/hubspot/crm/properties/2026-03/contacts");
		assertThat(HubSpotEndpoints.of("http://proxy/hs/crm/v3/objects/contacts").properties())
			.isEqualTo("http://proxy/hs/crm/v3/properties/contacts");
	}

	@Test
	void anotherPathIsRefusedAtStartRatherThanGuessed() {
		assertThatIllegalArgumentException().isThrownBy(() -> HubSpotEndpoints.of("http://127.0.0.1:8090/other/path"))
			.withMessageContaining("EXTERNAL_API_BASE_URL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HubSpotEndpoints.of("https://api.hubapi.com/crm/v3/objects/companies"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HubSpotClients.settings("http://127.0.0.1:8090/other", "token", Duration.ofSeconds(1),
					null, Duration.ofSeconds(1), 0, Duration.ofSeconds(1)))
			.withMessageContaining("EXTERNAL_API_BASE_URL");
	}

}
