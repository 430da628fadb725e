package com.portaone.nsps.hubspot.client;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * What is known about the HubSpot portal that only an operator can fix: custom contact
 * properties missing, or the access token refused. Readiness reports it.
 */
@Component
class HubSpotPortalStatus {

	private volatile PropertiesState properties = PropertiesState.UNKNOWN;

	private volatile List<String> missingProperties = List.of();

	private volatile @Nullable String accessRefusal;

	private volatile @Nullable DailyUsage dailyUsage;

	PropertiesState properties() {
		return this.properties;
	}

	List<String> missingProperties() {
		return this.missingProperties;
	}

	/**
	 * HubSpot's message when it last refused the access token, or null once it accepted
	 * it again.
	 */
	@Nullable String accessRefusal() {
		return this.accessRefusal;
	}

	/** The account's daily request count as HubSpot last reported it, if it has. */
	@Nullable DailyUsage dailyUsage() {
		return this.dailyUsage;
	}

	/**
	 * Whether only asking HubSpot again can tell that writes will pass: the token was
	 * refused, properties are missing, or they could not be checked yet.
	 */
	boolean needsRecheck() {
		return this.accessRefusal != null || this.properties != PropertiesState.PRESENT;
	}

	void dailyUsage(long limit, long remaining) {
		this.dailyUsage = new DailyUsage(limit, remaining);
	}

	void propertiesPresent() {
		this.missingProperties = List.of();
		this.properties = PropertiesState.PRESENT;
	}

	void propertiesMissing(List<String> names) {
		this.missingProperties = List.copyOf(names);
		this.properties = PropertiesState.MISSING;
	}

	void accessRefused(String message) {
		this.accessRefusal = message;
	}

	void accessAccepted() {
		this.accessRefusal = null;
	}

	/**
	 * HubSpot's daily request limit of the account, shared by all its apps.
	 *
	 * @param limit requests a day
	 * @param remaining requests left today
	 */
	record DailyUsage(long limit, long remaining) {

	}

	/** Whether the required contact properties exist. */
	enum PropertiesState {

		/**
		 * Not checked yet, or HubSpot could not be asked: not a reason to refuse traffic.
		 */
		UNKNOWN,

		/** All required properties exist. */
		PRESENT,

		/** Some are missing: every write would be refused. */
		MISSING

	}

}
