package com.portaone.nsps.hubspot.standin;

import org.jspecify.annotations.Nullable;

/**
 * One request as it arrived at the {@link HubSpotStandIn}.
 *
 * @param method HTTP method
 * @param path decoded request path
 * @param query raw query string, or {@code null} when there was none
 * @param body request body as UTF-8 text (empty when there was none)
 * @param arrivalNanos {@link System#nanoTime()} when the request arrived
 */
public record RecordedRequest(String method, String path, @Nullable String query, String body, long arrivalNanos) {

}
