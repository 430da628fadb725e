package com.portaone.nsps.hubspot.client;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A HubSpot request, or one input of it, that did not succeed: HubSpot answered other
 * than 2xx, refused the input in a 207, left it unconfirmed, or did not answer at all.
 * Its {@link Verdict} says what that means.
 */
public class HubSpotException extends RuntimeException {

	private final Verdict verdict;

	private final int status;

	private final HubSpotError error;

	private final @Nullable Duration retryAfter;

	private HubSpotException(Verdict verdict, int status, HubSpotError error, @Nullable Duration retryAfter,
			String message, @Nullable Throwable cause) {
		super(message, cause);
		this.verdict = verdict;
		this.status = status;
		this.error = error;
		this.retryAfter = retryAfter;
	}

	/** HubSpot, or a proxy before it, answered {@code status} with this body. */
	static HubSpotException answered(int status, HubSpotError error, @Nullable Duration retryAfter) {
		return new HubSpotException(HubSpotAnswers.of(status, error), status, error, retryAfter,
				"HubSpot answered " + status + ": " + error.describe(), null);
	}

	/**
	 * No whole answer came: refused, reset, timed out or cut short.
	 * @param cause what the HTTP client threw
	 * @param pastDeadline whether the exchange had run for {@code HTTP_TIMEOUT_SECONDS}
	 */
	public static HubSpotException noAnswer(Throwable cause, boolean pastDeadline) {
		return new HubSpotException(HubSpotAnswers.ofNoAnswer(cause, pastDeadline), 0, HubSpotError.NONE, null,
				HubSpotAnswers.describeNoAnswer(cause, pastDeadline), cause);
	}

	/** One input HubSpot refused on its own, in a batch answer's {@code errors}. */
	static HubSpotException ofInput(HubSpotError error) {
		Verdict verdict = HubSpotAnswers.ofEntry(error);
		int status = (verdict == Verdict.EMAIL_TAKEN) ? 409 : (verdict == Verdict.NOT_FOUND) ? 404 : 400;
		return new HubSpotException(verdict, status, error, null, "HubSpot refused the input: " + error.describe(),
				null);
	}

	/** A 2xx that does not list some inputs: they are not written. */
	public static HubSpotException unconfirmed(int inputs) {
		return new HubSpotException(Verdict.UNCONFIRMED, 200, HubSpotError.NONE, null,
				"HubSpot answered without confirming the write of " + inputs + " contact(s)", null);
	}

	/** The same refusal, for an input refused with its batch when narrowing stopped. */
	public HubSpotException inBatch() {
		return new HubSpotException(this.verdict, this.status,
				HubSpotError.ofText("HubSpot refused the batch this event was in: " + this.error.describe()),
				this.retryAfter, getMessage(), this);
	}

	public Verdict verdict() {
		return this.verdict;
	}

	/** HubSpot's status; 0 when there was no answer. */
	public int status() {
		return this.status;
	}

	HubSpotError error() {
		return this.error;
	}

	/** HubSpot's {@code Retry-After}, when it sent one. */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/** HubSpot's own words, for NSPS: its message, or how the request failed. */
	public String detail() {
		return (this.error == HubSpotError.NONE) ? getMessage() : this.error.describe();
	}

}
