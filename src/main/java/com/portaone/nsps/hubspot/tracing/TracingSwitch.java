package com.portaone.nsps.hubspot.tracing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns tracing on by the OpenTelemetry convention: with
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} set (Spring Boot maps it to
 * {@code <endpoint>/v1/traces}), spans are made and exported over OTLP/HTTP. Unset,
 * Boot's tracing and OpenTelemetry auto-configurations are left out altogether: nothing
 * is exported, nothing is logged about export, no span is made, and the tracer is the
 * no-op one. An explicit {@code management.opentelemetry.enabled} wins.
 */
class TracingSwitch implements EnvironmentPostProcessor, Ordered {

	static final String ENABLED = "management.opentelemetry.enabled";

	static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	/** What makes spans, and what would export them, when tracing is off. */
	private static final List<String> OFF = List.of(
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.zipkin.ZipkinWithOpenTelemetryTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.autoconfigure.otlp.OtlpExemplarsAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration",
			"org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
			"org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration",
			"org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.OtlpLoggingAutoConfiguration");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Boolean explicit = environment.getProperty(ENABLED, Boolean.class);
		boolean tracing = (explicit != null) ? explicit
				: hasText(environment.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT"))
						|| hasText(environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
						|| hasText(environment.getProperty(ENDPOINT));
		Map<String, Object> settings = new HashMap<>();
		settings.put(ENABLED, Boolean.toString(tracing));
		if (!tracing) {
			List<String> excluded = new ArrayList<>(
					Binder.get(environment).bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
			excluded.addAll(OFF);
			settings.put(EXCLUDE, String.join(",", excluded));
		}
		environment.getPropertySources().addFirst(new MapPropertySource("tracingSwitch", settings));
	}

	private static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

	/** After Boot's own mapping of the {@code OTEL_*} variables. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
