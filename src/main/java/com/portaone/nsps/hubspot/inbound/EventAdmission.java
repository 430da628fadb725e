package com.portaone.nsps.hubspot.inbound;

import java.util.concurrent.Semaphore;

import org.springframework.stereotype.Component;

/**
 * Bounds the work held. At most {@code MAX_EVENTS_IN_FLIGHT} events are read, parsed or
 * waiting for HubSpot at once; and at most all but a few of Tomcat's request threads read
 * bodies at once, so that a flood of slow or large bodies cannot take the threads the
 * health probes need. An event past either bound is refused before its body is read.
 */
@Component
class EventAdmission {

	/** Bodies read at once: every request thread but those kept for probes. */
	static final int MAX_READING = RequestThreads.MAX - RequestThreads.KEPT_FOR_PROBES;

	private final Semaphore inFlight;

	private final Semaphore reading = new Semaphore(MAX_READING);

	private final int limit;

	EventAdmission(InboundSettings settings) {
		this.limit = settings.maxEventsInFlight();
		this.inFlight = new Semaphore(this.limit);
	}

	/**
	 * Takes a slot for an event and one for reading its body, if both are free; the
	 * event's slot is given back with {@link #release()} once it is answered, the reading
	 * one with {@link #doneReading()}.
	 */
	boolean tryAdmit() {
		if (!this.inFlight.tryAcquire()) {
			return false;
		}
		if (!this.reading.tryAcquire()) {
			this.inFlight.release();
			return false;
		}
		return true;
	}

	void doneReading() {
		this.reading.release();
	}

	void release() {
		this.inFlight.release();
	}

	int limit() {
		return this.limit;
	}

}
