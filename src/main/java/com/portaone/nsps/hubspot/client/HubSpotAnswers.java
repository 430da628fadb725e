package com.portaone.nsps.hubspot.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;

/**
 * Finds the {@link Verdict} of each answer HubSpot can give: by status, category,
 * {@code policyName} and {@code errors[]} codes, for a whole answer and for one entry of
 * a 207's {@code errors}; and for requests that got no answer.
 */
final class HubSpotAnswers {

	private HubSpotAnswers() {
	}

	/** A whole answer other than 2xx, HubSpot's or a proxy's. */
	static Verdict of(int status, HubSpotError error) {
		if (status == 429) {
			return error.isDailyLimit() ? Verdict.DAILY_LIMIT : Verdict.ROLLING_LIMIT;
		}
		if (status == 401 || status == 403) {
			return Verdict.ACCESS_REFUSED;
		}
		if (status == 423) {
			return Verdict.LOCKED;
		}
		if (status >= 500) {
			return Verdict.SERVER_ERROR;
		}
		if (status == 409) {
			return isConflict(error) ? Verdict.EMAIL_TAKEN : Verdict.REFUSED;
		}
		if (error.isPropertyMissing()) {
			return Verdict.PROPERTY_MISSING;
		}
		if (error.isRequiredPropertyMissing()) {
			return Verdict.PROPERTY_REQUIRED;
		}
		if (status == 404 || "OBJECT_NOT_FOUND".equalsIgnoreCase(error.category())) {
			return Verdict.NOT_FOUND;
		}
		if (status == 400 && error.isValidationError()) {
			return Verdict.INVALID_DATA;
		}
		return Verdict.REFUSED;
	}

	/** One entry of a 207's {@code errors}: it concerns its inputs only. */
	static Verdict ofEntry(HubSpotError error) {
		if (isConflict(error)) {
			return Verdict.EMAIL_TAKEN;
		}
		if ("OBJECT_NOT_FOUND".equalsIgnoreCase(error.category())) {
			return Verdict.NOT_FOUND;
		}
		if (error.isPropertyMissing()) {
			return Verdict.PROPERTY_MISSING;
		}
		if (error.isRequiredPropertyMissing()) {
			return Verdict.PROPERTY_REQUIRED;
		}
		return Verdict.INVALID_DATA;
	}

	/**
	 * A request that got no whole answer: refused when it was never sent; timed out when
	 * a timeout ended it or its deadline did (a cancelled exchange shows only as a closed
	 * socket, hence the flag); else lost, after it was sent.
	 * @param failure what the HTTP client threw
	 * @param pastDeadline whether the exchange had run for {@code HTTP_TIMEOUT_SECONDS}
	 */
	static Verdict ofNoAnswer(Throwable failure, boolean pastDeadline) {
		if (failure instanceof ConnectTimeoutException || failure instanceof ConnectException
				|| failure instanceof UnknownHostException || failure instanceof ConnectionRequestTimeoutException) {
			return Verdict.CONNECTION_REFUSED;
		}
		if (pastDeadline || failure instanceof InterruptedIOException) {
			return Verdict.TIMED_OUT;
		}
		return Verdict.CONNECTION_LOST;
	}

	/** How a request without an answer failed, in words for the log and NSPS. */
	static String describeNoAnswer(Throwable failure, boolean pastDeadline) {
		return switch (ofNoAnswer(failure, pastDeadline)) {
			case TIMED_OUT -> "HubSpot request timed out";
			case CONNECTION_REFUSED -> "HubSpot refused the connection";
			default ->
				(failure instanceof IOException) ? "HubSpot request failed" : "HubSpot request failed unexpectedly";
		};
	}

	private static boolean isConflict(HubSpotError error) {
		return "CONFLICT".equalsIgnoreCase(error.category()) || (error.message() != null
				&& error.message().toLowerCase(Locale.ROOT).startsWith("contact already exists"));
	}

}
