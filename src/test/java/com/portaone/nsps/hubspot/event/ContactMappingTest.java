package com.portaone.nsps.hubspot.event;

import java.time.LocalDateTime;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import static com.portaone.nsps.hubspot.event.SampleEvents.json;
import static com.portaone.nsps.hubspot.event.SampleEvents.object;
import static com.portaone.nsps.hubspot.event.SampleEvents.put;
import static com.portaone.nsps.hubspot.event.SampleEvents.putJson;
import static com.portaone.nsps.hubspot.event.SampleEvents.remove;
import static com.portaone.nsps.hubspot.event.SampleEvents.toBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class ContactMappingTest {

	private final NspsEventReader reader = new NspsEventReader(EventRules.defaults());

	@Test
	void simCreatedMapsToExactlyTheSpecifiedProperties() {
		ContactUpsert upsert = map(SampleEvents.bytes("sim-created"));
		assertThat(upsert.properties()).containsExactlyInAnyOrderEntriesOf(Map.of("email", "olena.koval@example.com",
				"firstname", "Olena", "lastname", "Koval", "phone", "5551234567", "account_id", "277147", "has_add_ons",
				"true", "sim_card_id", "3793", "imsi", "001010000020349", "type", "CREDIT ACCOUNT"));
		assertThat(upsert.eventId()).isEqualTo("6f1c2a4e-1d0b-4a51-9a53-0c2f1e7b9d01");
		assertThat(upsert.eventType()).isEqualTo(NspsEvent.SIM_CREATED);
		assertThat(upsert.email()).isEqualTo("olena.koval@example.com");
		assertThat(upsert.eventTime()).isEqualTo(LocalDateTime.of(2025, 5, 1, 12, 0, 0));
	}

	@Test
	void emptyAddOnListMapsToFalse() {
		ContactUpsert upsert = map(SampleEvents.bytes("sim-updated"));
		assertThat(upsert.eventType()).isEqualTo(NspsEvent.SIM_UPDATED);
		assertThat(upsert.properties()).contains(entry("has_add_ons", "false"), entry("firstname", "Olha"));
	}

	@Test
	void blankPhoneIsLeftOut() {
		ContactUpsert upsert = map(SampleEvents.bytes("sim-updated-portabilling-blanks"));
		assertThat(upsert.properties()).doesNotContainKey("phone")
			.containsKeys("email", "firstname", "lastname", "account_id", "has_add_ons", "sim_card_id", "imsi", "type");
	}

	@ParameterizedTest
	@CsvSource({ "credit_account, CREDIT ACCOUNT", "debit, DEBIT", "Credit_Account, CREDIT ACCOUNT",
			"prepaid_with_credit_limit, PREPAID WITH CREDIT LIMIT" })
	void billingModelMapsToUpperCaseTypeWithSpaces(String billingModel, String type) {
		ContactUpsert upsert = map(
				toBytes(put(json("sim-created"), "pb_data.account_info.billing_model", billingModel)));
		assertThat(upsert.properties()).containsEntry("type", type);
	}

	@ParameterizedTest
	@ValueSource(strings = { "absent", "null" })
	void hasAddOnsIsLeftOutWhenAddOnsAreAbsent(String how) {
		ObjectNode event = json("sim-updated");
		if (how.equals("null")) {
			putJson(event, "pb_data.account_info.assigned_addons", "null");
		}
		else {
			remove(event, "pb_data.account_info.assigned_addons");
		}
		// Leaving it out keeps HubSpot's value; "false" would overwrite it.
		assertThat(map(toBytes(event)).properties()).doesNotContainKey("has_add_ons");
	}

	@Test
	void absentAndBlankValuesNeverBecomeKeys() {
		ObjectNode event = json("sim-updated");
		remove(event, "pb_data.sim_info");
		ObjectNode account = object(event, "pb_data.account_info");
		account.removeAll();
		account.put("email", "olena.koval@example.com");
		account.put("firstname", "");
		account.put("lastname", "  ");
		account.put("i_account", "");
		account.putNull("billing_model");
		account.putNull("phone1");
		assertThat(map(toBytes(event)).properties()).isEqualTo(Map.of("email", "olena.koval@example.com"));
	}

	@Test
	void everyValueIsAString() {
		Map<String, ?> properties = map(SampleEvents.bytes("sim-created")).properties();
		assertThat(properties).hasSize(9);
		assertThat(properties.values()).allSatisfy((value) -> assertThat(value).isInstanceOf(String.class));
	}

	@Test
	void integersMapToDecimalStrings() {
		ObjectNode event = json("sim-created");
		put(event, "pb_data.account_info.i_account", "000277147");
		putJson(event, "pb_data.sim_info.i_sim_card", "9223372036854775807");
		assertThat(map(toBytes(event)).properties()).contains(entry("account_id", "277147"),
				entry("sim_card_id", "9223372036854775807"));
	}

	@Test
	void theEmailKeyIsTheLowerCaseEmailAndTheSubscriberItsAccount() {
		ContactUpsert upsert = map(
				toBytes(put(json("sim-created"), "pb_data.account_info.email", "Olena.Koval@Example.COM")));
		assertThat(upsert.emailKey()).isEqualTo("olena.koval@example.com");
		assertThat(upsert.account()).isEqualTo(277147L);
		assertThat(upsert.email()).isEqualTo("Olena.Koval@Example.COM");
	}

	@Test
	void eventTimeComesFromTheEventVariables() {
		ContactUpsert upsert = map(
				toBytes(put(json("sim-updated"), "data.variables.event_time", "2024-02-29 23:59:58")));
		assertThat(upsert.eventTime()).isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 58));
	}

	@Test
	void eventTimeIsNullWhenAbsent() {
		assertThat(map(toBytes(remove(json("sim-updated"), "data.variables.event_time"))).eventTime()).isNull();
		assertThat(map(toBytes(remove(json("sim-updated"), "data.variables"))).eventTime()).isNull();
	}

	@Test
	void propertiesCannotBeChangedAfterMapping() {
		ContactUpsert upsert = map(SampleEvents.bytes("sim-created"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> upsert.properties().put("email", "other@example.com"));
	}

	private ContactUpsert map(byte[] body) {
		return ContactMapping.toUpsert(this.reader.read(body));
	}

}
