package com.portaone.nsps.hubspot.sync;

import java.time.Duration;

/**
 * The moment by which NSPS must have its answer for one event.
 */
record Deadline(long expiresAtNanos) {

	static Deadline after(Duration duration) {
		return new Deadline(System.nanoTime() + duration.toNanos());
	}

	Duration remaining() {
		long nanos = this.expiresAtNanos - System.nanoTime();
		return (nanos > 0) ? Duration.ofNanos(nanos) : Duration.ZERO;
	}

	boolean passed() {
		return remaining().isZero();
	}

}
