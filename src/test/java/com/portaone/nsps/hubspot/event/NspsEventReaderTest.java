package com.portaone.nsps.hubspot.event;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import static com.portaone.nsps.hubspot.event.SampleEvents.json;
import static com.portaone.nsps.hubspot.event.SampleEvents.object;
import static com.portaone.nsps.hubspot.event.SampleEvents.put;
import static com.portaone.nsps.hubspot.event.SampleEvents.putJson;
import static com.portaone.nsps.hubspot.event.SampleEvents.remove;
import static com.portaone.nsps.hubspot.event.SampleEvents.toBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class NspsEventReaderTest {

	private static final String I_ACCOUNT = "pb_data.account_info.i_account";

	private static final String EMAIL = "pb_data.account_info.email";

	private static final String PHONE = "pb_data.account_info.phone1";

	private static final String LASTNAME = "pb_data.account_info.lastname";

	private static final String I_SIM_CARD = "pb_data.sim_info.i_sim_card";

	private static final String IMSI = "pb_data.sim_info.imsi";

	private static final String EVENT_TIME = "data.variables.event_time";

	private final NspsEventReader reader = new NspsEventReader(EventRules.defaults());

	// Sample events

	@Test
	void simCreatedSampleIsValid() {
		NspsEvent event = this.reader.read(SampleEvents.bytes("sim-created"));
		assertThat(event.eventId()).isEqualTo("6f1c2a4e-1d0b-4a51-9a53-0c2f1e7b9d01");
		assertThat(event.eventType()).isEqualTo(NspsEvent.SIM_CREATED);
		assertThat(event.isSupported()).isTrue();
		assertThat(event.data().eventTime()).isEqualTo(LocalDateTime.of(2025, 5, 1, 12, 0, 0));
		AccountInfo account = event.pbData().accountInfo();
		assertThat(account).isEqualTo(new AccountInfo(277147L, "olena.koval@example.com", "5551234567", "Olena",
				"Koval", new AssignedAddOns(1), "credit_account"));
		assertThat(event.pbData().simInfo()).isEqualTo(new SimInfo(3793L, "001010000020349"));
	}

	@Test
	void simUpdatedSampleIsValidWithEmptyAddOnList() {
		NspsEvent event = this.reader.read(SampleEvents.bytes("sim-updated"));
		assertThat(event.eventType()).isEqualTo(NspsEvent.SIM_UPDATED);
		assertThat(event.isSupported()).isTrue();
		// An empty list is present, not absent.
		assertThat(event.pbData().accountInfo().assignedAddons()).isEqualTo(new AssignedAddOns(0));
	}

	@Test
	void portaBillingBlankPhoneIsReadAsAbsent() {
		NspsEvent event = this.reader.read(SampleEvents.bytes("sim-updated-portabilling-blanks"));
		assertThat(event.isSupported()).isTrue();
		assertThat(event.pbData().accountInfo().phone1()).isNull();
		assertThat(event.pbData().accountInfo().email()).isEqualTo("olena.koval@example.com");
		assertThat(event.data().eventTime()).isNull();
	}

	@Test
	void badImsiSampleIsRefusedNamingTheImsi() {
		List<FieldViolation> violations = violations(SampleEvents.bytes("sim-created-bad-imsi"));
		assertThat(violations).extracting(FieldViolation::field).containsExactly(IMSI);
		assertThat(violations.get(0).message()).startsWith("must match");
	}

	@Test
	void missingLastnameSampleIsRefusedNamingTheLastname() {
		assertThat(violations(SampleEvents.bytes("sim-created-missing-lastname")))
			.containsExactly(new FieldViolation(LASTNAME, "is required"));
	}

	@Test
	void sampleWithoutPbDataIsRefusedNamingPbData() {
		assertThat(violations(SampleEvents.bytes("malformed-no-pb-data")))
			.containsExactly(new FieldViolation("pb_data", "is required"));
	}

	@Test
	void simDeletedSampleReadsAsUnsupported() {
		NspsEvent event = this.reader.read(SampleEvents.bytes("sim-deleted"));
		assertThat(event.eventType()).isEqualTo("SIM/Deleted");
		assertThat(event.isSupported()).isFalse();
	}

	// Integer fields

	static Stream<Arguments> integerFieldsAndAcceptedValues() {
		return Stream.of(I_ACCOUNT, I_SIM_CARD)
			.flatMap((path) -> Stream.of(Arguments.of(path, "277147", 277147L),
					Arguments.of(path, "\"277147\"", 277147L),
					Arguments.of(path, "9223372036854775807", Long.MAX_VALUE),
					Arguments.of(path, "\"9223372036854775807\"", Long.MAX_VALUE)));
	}

	@ParameterizedTest(name = "{0} = {1}")
	@MethodSource("integerFieldsAndAcceptedValues")
	void integerFieldAcceptsNumbersAndNumericStrings(String path, String value, long expected) {
		NspsEvent event = this.reader.read(toBytes(putJson(json("sim-created"), path, value)));
		assertThat(integerAt(event, path)).isEqualTo(expected);
	}

	static Stream<Arguments> integerFieldsAndRejectedValues() {
		return Stream.of(I_ACCOUNT, I_SIM_CARD)
			.flatMap((path) -> Stream
				.of("\"abc\"", "\"12.5\"", "12.5", "277147.0", "true", "{}", "{\"value\":1}", "[1]",
						"9223372036854775808", "-9223372036854775809", "\"99999999999999999999\"")
				.map((value) -> Arguments.of(path, value)));
	}

	@ParameterizedTest(name = "{0} = {1}")
	@MethodSource("integerFieldsAndRejectedValues")
	void integerFieldRejectsAnythingButA64BitInteger(String path, String value) {
		byte[] body = toBytes(putJson(json("sim-created"), path, value));
		assertThat(violations(body)).containsExactly(new FieldViolation(path, "must be an integer"));
	}

	// Patterns

	@Test
	void imsiOfFifteenDigitsIsAcceptedByDefault() {
		NspsEvent event = this.reader.read(toBytes(put(json("sim-created"), IMSI, "999999999999999")));
		assertThat(event.pbData().simInfo().imsi()).isEqualTo("999999999999999");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "00101000002034", "0010100000203490", "00101000002034a", "abcdefghijklmno", "001-01000002034" })
	void imsiOtherThanFifteenDigitsIsRejectedByDefault(String imsi) {
		assertThat(violations(toBytes(put(json("sim-created"), IMSI, imsi)))).extracting(FieldViolation::field)
			.containsExactly(IMSI);
	}

	@Test
	void configuredImsiPatternIsHonoured() {
		NspsEventReader wide = new NspsEventReader(new EventRules("^[0-9]{6,15}$", null));
		byte[] body = toBytes(put(json("sim-created"), IMSI, "123456"));
		assertThat(wide.read(body).pbData().simInfo().imsi()).isEqualTo("123456");
		// The same IMSI fails the default rule, so the configuration made the difference.
		assertThat(violations(body)).extracting(FieldViolation::field).containsExactly(IMSI);
		assertThat(catchThrowableOfType(InvalidEventException.class,
				() -> wide.read(toBytes(put(json("sim-created"), IMSI, "12345")))))
			.isNotNull();
	}

	@Test
	void configuredPhonePatternIsHonoured() {
		NspsEventReader international = new NspsEventReader(new EventRules(null, "^\\+?[0-9]{7,15}$"));
		byte[] body = toBytes(put(json("sim-created"), PHONE, "+380661310764"));
		assertThat(international.read(body).pbData().accountInfo().phone1()).isEqualTo("+380661310764");
		assertThat(violations(body)).extracting(FieldViolation::field).containsExactly(PHONE);
		InvalidEventException refused = catchThrowableOfType(InvalidEventException.class,
				() -> international.read(toBytes(put(json("sim-created"), PHONE, "phone-number"))));
		assertThat(refused.violations()).extracting(FieldViolation::field).containsExactly(PHONE);
	}

	@Test
	void blankConfiguredPatternsFallBackToTheDefaults() {
		NspsEventReader blank = new NspsEventReader(new EventRules(" ", ""));
		ObjectNode event = put(put(json("sim-created"), IMSI, "00101000002034"), PHONE, "555123456");
		InvalidEventException refused = catchThrowableOfType(InvalidEventException.class,
				() -> blank.read(toBytes(event)));
		assertThat(refused.violations()).extracting(FieldViolation::field).containsExactlyInAnyOrder(IMSI, PHONE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "olena.koval@example.com", "a@b.c", "Olena+sims@Example.COM" })
	void validEmailIsAccepted(String email) {
		NspsEvent event = this.reader.read(toBytes(put(json("sim-created"), EMAIL, email)));
		assertThat(event.pbData().accountInfo().email()).isEqualTo(email);
	}

	@ParameterizedTest
	@ValueSource(strings = { "no-at", "a@b", "a b@c.d", "a@b c.d", "@example.com", "a@@b.c", "a@b@c.d" })
	void invalidEmailIsRejected(String email) {
		assertThat(violations(toBytes(put(json("sim-created"), EMAIL, email))))
			.containsExactly(new FieldViolation(EMAIL, "must be a valid email address"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "555123456", "55512345678", "+5551234567", "555-123-4567", "555123456a" })
	void phoneOtherThanTenDigitsIsRejectedByDefault(String phone) {
		assertThat(violations(toBytes(put(json("sim-created"), PHONE, phone)))).extracting(FieldViolation::field)
			.containsExactly(PHONE);
	}

	// Required fields

	@ParameterizedTest
	@ValueSource(strings = { I_ACCOUNT, EMAIL, PHONE, "pb_data.account_info.firstname", LASTNAME,
			"pb_data.account_info.assigned_addons", "pb_data.account_info.billing_model", I_SIM_CARD, IMSI })
	void simCreatedReportsEachMissingRequiredFieldByPath(String path) {
		assertThat(violations(toBytes(remove(json("sim-created"), path))))
			.containsExactly(new FieldViolation(path, "is required"));
	}

	@ParameterizedTest
	@ValueSource(strings = { I_ACCOUNT, EMAIL, "pb_data.account_info.assigned_addons", IMSI })
	void simCreatedReadsJsonNullAsMissing(String path) {
		assertThat(violations(toBytes(putJson(json("sim-created"), path, "null"))))
			.containsExactly(new FieldViolation(path, "is required"));
	}

	static Stream<Arguments> blankRequiredFields() {
		return Stream
			.of(I_ACCOUNT, EMAIL, PHONE, "pb_data.account_info.firstname", LASTNAME,
					"pb_data.account_info.billing_model", I_SIM_CARD, IMSI)
			.flatMap((path) -> Stream.of(Arguments.of(path, ""), Arguments.of(path, "   ")));
	}

	@ParameterizedTest(name = "{0} = \"{1}\"")
	@MethodSource("blankRequiredFields")
	void blankRequiredFieldIsReportedAsMissing(String path, String blank) {
		assertThat(violations(toBytes(put(json("sim-created"), path, blank))))
			.containsExactly(new FieldViolation(path, "is required"));
	}

	@Test
	void simCreatedWithoutAccountAndSimInfoReportsEveryRequiredField() {
		ObjectNode event = json("sim-created");
		remove(remove(event, "pb_data.account_info"), "pb_data.sim_info");
		assertThat(violations(toBytes(event))).extracting(FieldViolation::field)
			.containsExactlyInAnyOrder(I_ACCOUNT, EMAIL, PHONE, "pb_data.account_info.firstname", LASTNAME,
					"pb_data.account_info.assigned_addons", "pb_data.account_info.billing_model", I_SIM_CARD, IMSI);
	}

	@Test
	void simCreatedWithEmptyAddOnListIsValid() {
		NspsEvent event = this.reader
			.read(toBytes(putJson(json("sim-created"), "pb_data.account_info.assigned_addons", "[]")));
		assertThat(event.pbData().accountInfo().assignedAddons()).isEqualTo(new AssignedAddOns(0));
	}

	@Test
	void simUpdatedRequiresOnlyTheEmail() {
		ObjectNode event = json("sim-updated");
		remove(event, "pb_data.sim_info");
		ObjectNode account = object(event, "pb_data.account_info");
		account.removeAll();
		account.put("email", "olena.koval@example.com");
		NspsEvent read = this.reader.read(toBytes(event));
		assertThat(read.pbData().accountInfo())
			.isEqualTo(new AccountInfo(null, "olena.koval@example.com", null, null, null, null, null));
		assertThat(read.pbData().simInfo()).isEqualTo(new SimInfo(null, null));
	}

	@Test
	void simUpdatedWithoutEmailIsRefused() {
		assertThat(violations(toBytes(remove(json("sim-updated"), EMAIL))))
			.containsExactly(new FieldViolation(EMAIL, "is required"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   " })
	void simUpdatedWithBlankEmailIsRefused(String blank) {
		assertThat(violations(toBytes(put(json("sim-updated"), EMAIL, blank))))
			.containsExactly(new FieldViolation(EMAIL, "is required"));
	}

	@Test
	void simUpdatedStillChecksTheFieldsItCarries() {
		ObjectNode event = put(put(json("sim-updated"), IMSI, "123"), EMAIL, "no-at");
		assertThat(violations(toBytes(event))).extracting(FieldViolation::field).containsExactlyInAnyOrder(EMAIL, IMSI);
	}

	@Test
	void oneRefusalNamesEveryFailingField() {
		ObjectNode event = json("sim-created");
		put(event, IMSI, "123");
		put(event, EMAIL, "no-at");
		remove(event, LASTNAME);
		assertThat(violations(toBytes(event))).extracting(FieldViolation::field)
			.containsExactlyInAnyOrder(IMSI, EMAIL, LASTNAME);
	}

	@Test
	void oneRefusalNamesShapeEnvelopeAndRuleFailuresTogether() {
		ObjectNode event = json("sim-created");
		put(event, IMSI, "123");
		put(event, I_ACCOUNT, "abc");
		put(event, EVENT_TIME, "yesterday");
		putJson(event, "pb_data.account_info.firstname", "42");
		remove(event, LASTNAME);
		assertThat(violations(toBytes(event))).extracting(FieldViolation::field)
			.containsExactlyInAnyOrder(IMSI, I_ACCOUNT, EVENT_TIME, "pb_data.account_info.firstname", LASTNAME);
	}

	// Envelope

	@Test
	void missingEventIdIsRefused() {
		assertThat(violations(toBytes(remove(json("sim-created"), "event_id"))))
			.containsExactly(new FieldViolation("event_id", "is required"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   " })
	void blankEventIdIsRefused(String blank) {
		assertThat(violations(toBytes(put(json("sim-created"), "event_id", blank))))
			.containsExactly(new FieldViolation("event_id", "is required"));
	}

	@Test
	void nonStringEventIdIsRefused() {
		assertThat(violations(toBytes(putJson(json("sim-created"), "event_id", "42"))))
			.containsExactly(new FieldViolation("event_id", "must be a string"));
	}

	@Test
	void missingDataIsRefused() {
		assertThat(violations(toBytes(remove(json("sim-created"), "data"))))
			.containsExactly(new FieldViolation("data", "is required"));
	}

	@Test
	void dataThatIsNotAnObjectIsRefused() {
		assertThat(violations(toBytes(put(json("sim-created"), "data", "SIM/Created"))))
			.containsExactly(new FieldViolation("data", "must be an object"));
	}

	@Test
	void missingEventTypeIsRefused() {
		assertThat(violations(toBytes(remove(json("sim-created"), "data.event_type"))))
			.containsExactly(new FieldViolation("data.event_type", "is required"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "[]", "\"pb\"", "42", "true" })
	void pbDataThatIsNotAnObjectIsRefused(String pbData) {
		assertThat(violations(toBytes(putJson(json("sim-created"), "pb_data", pbData))))
			.containsExactly(new FieldViolation("pb_data", "must be an object"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "2025-13-01 00:00:00", "yesterday", "2025-02-30 12:00:00", "2025-05-01T12:00:00",
			"2025-05-01 12:00", "2025-05-01 24:00:00", "2025-5-1 12:00:00" })
	void eventTimeNotInNspsFormatIsRefused(String time) {
		assertThat(violations(toBytes(put(json("sim-created"), EVENT_TIME, time)))).extracting(FieldViolation::field)
			.containsExactly(EVENT_TIME);
	}

	@Test
	void eventWithoutVariablesIsValid() {
		NspsEvent event = this.reader.read(toBytes(remove(json("sim-created"), "data.variables")));
		assertThat(event.data().eventTime()).isNull();
		assertThat(event.isSupported()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "not json", "", "   ", "[]", "[{\"event_id\":\"x\"}]", "\"a string\"", "42", "null",
			"{\"event_id\":" })
	void bodyThatIsNotAJsonObjectIsRefused(String body) {
		assertThat(violations(body.getBytes(StandardCharsets.UTF_8))).extracting(FieldViolation::field)
			.containsExactly("body");
	}

	@Test
	void unknownFieldsAreIgnoredEverywhere() {
		ObjectNode event = json("sim-created");
		putJson(event, "extra", "{\"nested\":[1,2,3]}");
		putJson(event, "data.extra", "\"x\"");
		putJson(event, "data.variables.extra", "[true]");
		putJson(event, "pb_data.extra", "null");
		putJson(event, "pb_data.account_info.extra", "{\"email\":5}");
		putJson(event, "pb_data.sim_info.extra", "12.5");
		assertThat(this.reader.read(toBytes(event))).isEqualTo(this.reader.read(SampleEvents.bytes("sim-created")));
	}

	@Test
	void fieldOfTheWrongJsonTypeIsReportedByPath() {
		assertThat(violations(toBytes(putJson(json("sim-created"), EMAIL, "12345"))))
			.containsExactly(new FieldViolation(EMAIL, "must be a string"));
		assertThat(
				violations(toBytes(putJson(json("sim-created"), "pb_data.account_info.assigned_addons", "\"Video\""))))
			.containsExactly(new FieldViolation("pb_data.account_info.assigned_addons", "must be a list"));
	}

	@Test
	void accountInfoThatIsNotAnObjectIsReportedByPath() {
		assertThat(violations(toBytes(putJson(json("sim-created"), "pb_data.account_info", "[]"))))
			.contains(new FieldViolation("pb_data.account_info", "must be an object"));
		assertThat(violations(toBytes(putJson(json("sim-updated"), "pb_data.sim_info", "\"sim\""))))
			.containsExactly(new FieldViolation("pb_data.sim_info", "must be an object"));
	}

	// Unsupported event types

	@Test
	void unsupportedEventWithGarbageFieldsIsNotRefused() {
		ObjectNode event = json("sim-deleted");
		put(event, IMSI, "not an imsi");
		put(event, I_ACCOUNT, "abc");
		putJson(event, EMAIL, "42");
		put(event, PHONE, "x");
		putJson(event, "pb_data.sim_info", "[1, 2]");
		remove(event, LASTNAME);
		NspsEvent read = this.reader.read(toBytes(event));
		assertThat(read.isSupported()).isFalse();
		assertThat(read.eventType()).isEqualTo("SIM/Deleted");
	}

	@Test
	void unsupportedEventStillHasItsEnvelopeChecked() {
		ObjectNode event = remove(put(json("sim-deleted"), EVENT_TIME, "yesterday"), "event_id");
		assertThat(violations(toBytes(event))).extracting(FieldViolation::field)
			.containsExactlyInAnyOrder("event_id", EVENT_TIME);
	}

	private List<FieldViolation> violations(byte[] body) {
		InvalidEventException refused = catchThrowableOfType(InvalidEventException.class, () -> this.reader.read(body));
		assertThat(refused).as("InvalidEventException").isNotNull();
		assertThat(refused.getMessage()).contains(refused.violations().get(0).field());
		return refused.violations();
	}

	private static Long integerAt(NspsEvent event, String path) {
		return switch (path) {
			case I_ACCOUNT -> event.pbData().accountInfo().iAccount();
			case I_SIM_CARD -> event.pbData().simInfo().iSimCard();
			default -> throw new IllegalArgumentException(path);
		};
	}

}
