package com.portaone.nsps.hubspot.logging;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The fields every log line of a request carries (SPEC section 6).
 */
public final class LogContext {

	public static final String TRACE_ID = "trace_id";

	public static final String SPAN_ID = "span_id";

	public static final String REQUEST_ID = "request_id";

	public static final String EVENT_ID = "event_id";

	public static final String EVENT_TYPE = "event_type";

	private LogContext() {
	}

	public static void putEvent(@Nullable String eventId, @Nullable String eventType) {
		if (eventId != null) {
			MDC.put(EVENT_ID, eventId);
		}
		if (eventType != null && !eventType.isEmpty()) {
			MDC.put(EVENT_TYPE, eventType);
		}
	}

}
