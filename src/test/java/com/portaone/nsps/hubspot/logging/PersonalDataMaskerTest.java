package com.portaone.nsps.hubspot.logging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalDataMaskerTest {

	@Test
	void emailLocalPartIsMasked() {
		String masked = PersonalDataMasker.mask("olena.koval@example.com");
		assertThat(masked).doesNotContain("olena.koval").endsWith("@example.com");
		assertThat(masked).isEqualTo("o***@example.com");
	}

	@Test
	void emailInsideSentenceIsMaskedAndTheRestKept() {
		String masked = PersonalDataMasker.mask("Synced contact Olena+SIM@Example.COM for event 42");
		assertThat(masked).doesNotContain("Olena+SIM").startsWith("Synced contact ").endsWith(" for event 42");
	}

	@Test
	void tenDigitPhoneKeepsAtMostItsLastTwoDigits() {
		String masked = PersonalDataMasker.mask("5551234567");
		assertThat(masked).doesNotContain("555123");
		assertThat(masked.replaceAll("[^0-9]", "")).hasSizeLessThanOrEqualTo(2);
		assertThat("5551234567").endsWith(masked.replaceAll("[^0-9]", ""));
	}

	@ParameterizedTest
	@ValueSource(strings = { "phone=5551234567", "{\"phone\":\"5551234567\"}", "call +380661310764 now",
			"phone (5551234567), next", "tel:5551234567" })
	void phoneInsideTextIsMasked(String text) {
		String masked = PersonalDataMasker.mask(text);
		String digits = masked.replaceAll("[^0-9]", "");
		// Only the last two digits of the number may remain.
		assertThat(digits).hasSizeLessThanOrEqualTo(2);
		assertThat(masked).doesNotContain("5551234").doesNotContain("3806613");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Invalid phone: 5551234567.", "phone 380661310764." })
	void phoneAtTheEndOfASentenceIsMasked(String text) {
		String masked = PersonalDataMasker.mask(text);
		assertThat(masked.replaceAll("[^0-9]", "")).hasSizeLessThanOrEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer abc123secret", "Authorization: Bearer abc123secret",
			"authorization=bearer abc123secret; next" })
	void bearerTokenIsRemoved(String text) {
		assertThat(PersonalDataMasker.mask(text)).doesNotContain("abc123secret").containsIgnoringCase("bearer");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Event accepted for processing", "Unsupported event type: SIM/Deleted",
			"HubSpot answered 503 after 3 attempts in 2.5 s", "event_time 2025-05-01 12:00:00",
			"Contact already exists. Existing ID: 123", "" })
	void textWithoutPersonalDataIsUnchanged(String text) {
		assertThat(PersonalDataMasker.mask(text)).isEqualTo(text);
	}

	@Test
	void emailInsideHubSpotErrorMessageIsMasked() {
		String message = "Contact already exists. Existing ID: 123 (email olena.koval@example.com)";
		String masked = PersonalDataMasker.mask(message);
		assertThat(masked).doesNotContain("olena.koval").startsWith("Contact already exists. Existing ID: 123 (email ");
	}

	@Test
	void emailInsideJsonTextIsMasked() {
		String body = "{\"status\":\"error\",\"message\":\"Property values were not valid: [{\\\"isValid\\\":false,"
				+ "\\\"message\\\":\\\"Email address olena.koval@example.com is invalid\\\",\\\"name\\\":\\\"email\\\"}]\","
				+ "\"correlationId\":\"3a6e7c1f-5c1b-4f0e-8a39-3f1b2a9d0c11\",\"category\":\"VALIDATION_ERROR\","
				+ "\"context\":{\"email\":\"olena.koval@example.com\"}}";
		String masked = PersonalDataMasker.mask(body);
		assertThat(masked).doesNotContain("olena.koval")
			.contains("\"context\":{\"email\":\"o***@example.com\"}")
			.contains("\"correlationId\":\"3a6e7c1f-5c1b-4f0e-8a39-3f1b2a9d0c11\"")
			.contains("\"category\":\"VALIDATION_ERROR\"");
	}

}
