package com.portaone.nsps.hubspot.event;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.Version;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;

/**
 * Creates the event's records through their canonical constructors with one method handle
 * each, made once. Jackson's own instantiator calls
 * {@link MethodHandle#invokeWithArguments}, which on Java 17 builds a spreading invoker
 * on every call: 2.5% of a warm event's CPU, for six records per event. Everything else
 * (which constructor, which arguments, errors) stays Jackson's.
 */
final class RecordCreators extends JacksonModule implements ValueInstantiators {

	@Override
	public String getModuleName() {
		return RecordCreators.class.getName();
	}

	@Override
	public Version version() {
		return Version.unknownVersion();
	}

	@Override
	public void setupModule(SetupContext context) {
		context.addValueInstantiators(this);
	}

	@Override
	public @Nullable ValueInstantiator findValueInstantiator(DeserializationConfig config,
			BeanDescription.Supplier bean) {
		return null;
	}

	@Override
	public ValueInstantiator modifyValueInstantiator(DeserializationConfig config, BeanDescription.Supplier bean,
			ValueInstantiator instantiator) {
		if (instantiator.getClass() == StdValueInstantiator.class
				&& instantiator.getWithArgsCreator() instanceof AnnotatedConstructor creator
				&& creator.getDeclaringClass().isRecord()
				&& creator.getDeclaringClass().getPackage() == RecordCreators.class.getPackage()) {
			return new Canonical((StdValueInstantiator) instantiator, handle(creator.getAnnotated()));
		}
		return instantiator;
	}

	private static MethodHandle handle(Constructor<?> constructor) {
		try {
			return MethodHandles.lookup()
				.unreflectConstructor(constructor)
				.asSpreader(Object[].class, constructor.getParameterCount())
				.asType(MethodType.methodType(Object.class, Object[].class));
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Jackson's instantiator of a record, calling its constructor through the handle. */
	private static final class Canonical extends StdValueInstantiator {

		private final MethodHandle constructor;

		Canonical(StdValueInstantiator jacksons, MethodHandle constructor) {
			super(jacksons);
			this.constructor = constructor;
		}

		@Override
		public Object createFromObjectWith(DeserializationContext context, Object[] arguments) {
			try {
				return this.constructor.invokeExact(arguments);
			}
			catch (Throwable ex) {
				return context.handleInstantiationProblem(getValueClass(), arguments, rewrapCtorProblem(context, ex));
			}
		}

	}

}
