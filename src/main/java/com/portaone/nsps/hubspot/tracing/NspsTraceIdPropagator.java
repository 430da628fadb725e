package com.portaone.nsps.hubspot.tracing;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.jspecify.annotations.Nullable;

/**
 * Continues NSPS's trace: NSPS sends {@code x-b3-traceid} alone, without a span id, which
 * the B3 extractor rejects. When neither W3C {@code traceparent} nor complete B3 headers
 * came, this takes that trace id as the trace of a remote parent with a span id of its
 * own, sampled as the configured probability samples that trace id, so that the server
 * span joins NSPS's trace. It only extracts; Boot's propagators extract and inject the
 * standard headers as usual, and run after it.
 */
final class NspsTraceIdPropagator implements TextMapPropagator {

	private static final Pattern HEX = Pattern.compile("[0-9a-f]{16}|[0-9a-f]{32}");

	private final Sampler sampler;

	/**
	 * @param probability the sampling probability, as for traces that start here
	 */
	NspsTraceIdPropagator(double probability) {
		this.sampler = Sampler.traceIdRatioBased(probability);
	}

	@Override
	public Collection<String> fields() {
		return List.of();
	}

	@Override
	public <C> void inject(Context context, @Nullable C carrier, TextMapSetter<C> setter) {
	}

	@Override
	public <C> Context extract(Context context, @Nullable C carrier, TextMapGetter<C> getter) {
		if (Span.fromContext(context).getSpanContext().isValid() || getter.get(carrier, "traceparent") != null
				|| getter.get(carrier, "b3") != null || getter.get(carrier, "x-b3-spanid") != null) {
			return context;
		}
		String traceId = getter.get(carrier, "x-b3-traceid");
		if (traceId == null) {
			return context;
		}
		traceId = traceId.strip().toLowerCase(Locale.ROOT);
		if (!HEX.matcher(traceId).matches()) {
			return context;
		}
		if (traceId.length() == 16) {
			traceId = "0000000000000000" + traceId;
		}
		boolean sampled = this.sampler
			.shouldSample(Context.root(), traceId, "", SpanKind.SERVER, Attributes.empty(), List.of())
			.getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
		SpanContext parent = SpanContext.createFromRemoteParent(traceId,
				SpanId.fromLong(ThreadLocalRandom.current().nextLong() | 1),
				sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
		return parent.isValid() ? context.with(Span.wrap(parent)) : context;
	}

}
