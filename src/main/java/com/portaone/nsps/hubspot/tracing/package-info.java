/**
 * Traces (OpenTelemetry, through Spring Boot's support): when they are on, and how an
 * event's server span continues NSPS's trace from its {@code x-b3-traceid} alone.
 */
@NullMarked
package com.portaone.nsps.hubspot.tracing;

import org.jspecify.annotations.NullMarked;
