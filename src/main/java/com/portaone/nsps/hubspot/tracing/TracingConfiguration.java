package com.portaone.nsps.hubspot.tracing;

import io.opentelemetry.context.propagation.TextMapPropagator;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the connector adds to Boot's tracing when it is on ({@link TracingSwitch}): the
 * extractor of NSPS's lone {@code x-b3-traceid}, beside Boot's W3C and B3 propagators.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(TracingSwitch.ENABLED)
class TracingConfiguration {

	@Bean
	TextMapPropagator nspsTraceIdPropagator(
			@Value("${management.tracing.sampling.probability:0.1}") double probability) {
		return new NspsTraceIdPropagator(probability);
	}

}
