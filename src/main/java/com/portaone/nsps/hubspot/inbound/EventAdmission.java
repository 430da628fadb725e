package com.portaone.nsps.hubspot.inbound;

import java.util.concurrent.Semaphore;

import org.springframework.stereotype.Component;

/**
 * Bounds the work held: at most {@code MAX_EVENTS_IN_FLIGHT} events are read, parsed or
 * waiting for HubSpot at once. One more is refused before its body is read.
 */
@Component
class EventAdmission {

	private final Semaphore slots;

	private final int limit;

	EventAdmission(InboundSettings settings) {
		this.limit = settings.maxEventsInFlight();
		this.slots = new Semaphore(this.limit);
	}

	/** Takes a slot, if one is free; it must be given back once the event is answered. */
	boolean tryAdmit() {
		return this.slots.tryAcquire();
	}

	void release() {
		this.slots.release();
	}

	int limit() {
		return this.limit;
	}

}
