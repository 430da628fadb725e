package com.portaone.nsps.hubspot.sync;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.portaone.nsps.hubspot.client.Permit;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The spans of the writes, when tracing is on. A write carries up to 100 events of up to
 * 100 traces, so its span ({@code hubspot write}) links to every event's server span, and
 * each event's server span names the write's span ({@code hubspot.write.trace_id},
 * {@code hubspot.write.span_id}): from either side the other can be found. The write's
 * span is a child of its first sampled event, so that it is kept whenever one of its
 * events is. Under it: the wait for the first permit ({@code hubspot budget wait}, as the
 * dispatcher waited for it), each later wait, and each HTTP attempt (the RestClient's
 * client spans). With tracing off the tracer is the no-op one and nothing is made.
 */
@Component
class WriteSpans {

	/** HubSpot's most inputs in one request, and so the most links a write needs. */
	private static final int MAX_LINKS = ContactWriter.MAX_BATCH;

	private final Tracer tracer;

	@Autowired
	WriteSpans(ObjectProvider<Tracer> tracer) {
		this(tracer.getIfAvailable(() -> Tracer.NOOP));
	}

	WriteSpans(Tracer tracer) {
		this.tracer = tracer;
	}

	/** The request thread's server span, for the write to link to. */
	EventSpan current() {
		if (this.tracer == Tracer.NOOP) {
			return EventSpan.NONE;
		}
		Span span = this.tracer.currentSpan();
		return (span != null) ? new EventSpan(span) : EventSpan.NONE;
	}

	/** A wait for a permit, as a span of its own under the current one. */
	Permit budgetWait(Supplier<Permit> acquire) {
		if (this.tracer == Tracer.NOOP || this.tracer.currentSpan() == null) {
			return acquire.get();
		}
		Span span = this.tracer.nextSpan().name("hubspot budget wait").start();
		try {
			return acquire.get();
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	/** Runs a round's writes under their span, its first permit wait recorded in it. */
	void write(List<ContactWrite> writes, Interval permitWait, Runnable write) {
		if (this.tracer == Tracer.NOOP) {
			write.run();
			return;
		}
		List<PendingEvent> events = ContactWrite.events(writes);
		long epochMicrosNow = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
		long nanosNow = System.nanoTime();
		Span.Builder builder = this.tracer.spanBuilder().name("hubspot write");
		TraceContext parent = parentOf(events);
		if (parent != null) {
			builder.setParent(parent);
		}
		else {
			builder.setNoParent();
		}
		events.stream()
			.map((event) -> event.span().context())
			.filter((context) -> context != null && context != parent)
			.distinct()
			.limit(MAX_LINKS)
			.forEach((context) -> builder.addLink(new Link(context)));
		Span span = builder
			.startTimestamp(epochMicros(permitWait.startNanos(), epochMicrosNow, nanosNow), TimeUnit.MICROSECONDS)
			.tag("hubspot.contacts", writes.size())
			.tag("nsps.events", events.size())
			.start();
		this.tracer.spanBuilder()
			.name("hubspot budget wait")
			.setParent(span.context())
			.startTimestamp(epochMicros(permitWait.startNanos(), epochMicrosNow, nanosNow), TimeUnit.MICROSECONDS)
			.start()
			.end(epochMicros(permitWait.endNanos(), epochMicrosNow, nanosNow), TimeUnit.MICROSECONDS);
		for (PendingEvent event : events) {
			event.span().written(span.context());
		}
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			write.run();
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	private static @Nullable TraceContext parentOf(List<PendingEvent> events) {
		TraceContext first = null;
		for (PendingEvent event : events) {
			TraceContext context = event.span().context();
			if (context != null && Boolean.TRUE.equals(context.sampled())) {
				return context;
			}
			if (first == null) {
				first = context;
			}
		}
		return first;
	}

	private static long epochMicros(long nanos, long epochMicrosNow, long nanosNow) {
		return epochMicrosNow - TimeUnit.NANOSECONDS.toMicros(nanosNow - nanos);
	}

	/** An event's server span, for the write's span to link to; none with tracing off. */
	static final class EventSpan {

		static final EventSpan NONE = new EventSpan(null);

		private final @Nullable Span span;

		private EventSpan(@Nullable Span span) {
			this.span = span;
		}

		@Nullable TraceContext context() {
			return (this.span != null) ? this.span.context() : null;
		}

		/** Names the span of the write that carried the event. */
		void written(TraceContext write) {
			if (this.span != null) {
				this.span.tag("hubspot.write.trace_id", write.traceId());
				this.span.tag("hubspot.write.span_id", write.spanId());
			}
		}

	}

	/** When the dispatcher waited for a permit (nanoTime). */
	record Interval(long startNanos, long endNanos) {

	}

}
