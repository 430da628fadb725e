package com.portaone.nsps.hubspot.inbound;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What NSPS must present and may send.
 *
 * @param apiTokens {@code API_TOKEN}: one or more comma-separated Bearer tokens; several
 * allow rotation without downtime
 * @param maxBodySize {@code MAX_BODY_SIZE}: larger requests are answered 413
 * @param maxDiscardedBodySize how much of a too-large body is read and dropped so that
 * the sender sees the 413 rather than a reset connection
 * @param maxEventsInFlight {@code MAX_EVENTS_IN_FLIGHT}: events being read or waiting for
 * HubSpot at once; more are answered 429 at once, their bodies unread
 * @param answerBackstopMargin how long after its deadline
 * ({@code EVENT_DEADLINE_SECONDS}) an event still unanswered is answered 503: the
 * deadline answers every event, so this answers only a defect
 */
@ConfigurationProperties("connector.inbound")
@Validated
record InboundSettings(String apiTokens, DataSize maxBodySize, DataSize maxDiscardedBodySize,
		@Positive int maxEventsInFlight, @DurationMin(seconds = 1) Duration answerBackstopMargin) {

	/** The accepted tokens, blanks dropped. */
	List<String> tokens() {
		return Arrays.stream(this.apiTokens.split(",")).map(String::strip).filter((t) -> !t.isEmpty()).toList();
	}

}
