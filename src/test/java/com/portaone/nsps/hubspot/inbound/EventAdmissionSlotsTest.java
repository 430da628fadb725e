package com.portaone.nsps.hubspot.inbound;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two bounds of {@link EventAdmission}: events in flight, and bodies being read at
 * once, which leaves request threads for the health probes.
 */
class EventAdmissionSlotsTest {

	@Test
	void eventsInFlightAreBounded() {
		EventAdmission admission = admission(3);
		for (int i = 0; i < 3; i++) {
			assertThat(admission.tryAdmit()).isTrue();
			admission.doneReading();
		}
		assertThat(admission.tryAdmit()).isFalse();
		admission.release();
		assertThat(admission.tryAdmit()).isTrue();
	}

	@Test
	void bodiesBeingReadLeaveThreadsForTheProbes() {
		EventAdmission admission = admission(10_000);
		for (int i = 0; i < EventAdmission.MAX_READING; i++) {
			assertThat(admission.tryAdmit()).isTrue();
		}
		assertThat(EventAdmission.MAX_READING).isLessThan(RequestThreads.MAX);
		assertThat(admission.tryAdmit()).isFalse();
		admission.doneReading();
		assertThat(admission.tryAdmit()).isTrue();
	}

	private static EventAdmission admission(int maxInFlight) {
		return new EventAdmission(new InboundSettings("token", DataSize.ofMegabytes(2), DataSize.ofMegabytes(10),
				maxInFlight, Duration.ofMinutes(2)));
	}

}
