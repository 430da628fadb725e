package com.portaone.nsps.hubspot.sync;

import java.util.Arrays;
import java.util.List;

import com.portaone.nsps.hubspot.event.ContactMapping;

/**
 * For one contact, the time (epoch milliseconds) of the event whose value was last
 * written for each property the mapping writes; 0 where none was. An immutable array of
 * {@link ContactMapping#PROPERTIES}' size: 16 bytes of header and 8 a property, 80 bytes
 * a contact.
 */
final class PropertyTimes {

	static final List<String> NAMES = ContactMapping.PROPERTIES;

	static final PropertyTimes NONE = new PropertyTimes(new long[NAMES.size()]);

	private final long[] millis;

	private PropertyTimes(long[] millis) {
		this.millis = millis;
	}

	static PropertyTimes of(long[] millis) {
		if (millis.length != NAMES.size()) {
			throw new IllegalArgumentException("Expected " + NAMES.size() + " times, got " + millis.length);
		}
		return new PropertyTimes(millis.clone());
	}

	/** The time of the value last written for the property; 0 when unknown. */
	long of(String property) {
		int index = NAMES.indexOf(property);
		return (index < 0) ? 0 : this.millis[index];
	}

	PropertyTimes with(String property, long time) {
		int index = NAMES.indexOf(property);
		if (index < 0 || this.millis[index] >= time) {
			return this;
		}
		long[] copy = this.millis.clone();
		copy[index] = time;
		return new PropertyTimes(copy);
	}

	/** Property by property, the later of the two times. */
	PropertyTimes latest(PropertyTimes other) {
		long[] merged = new long[this.millis.length];
		for (int i = 0; i < merged.length; i++) {
			merged[i] = Math.max(this.millis[i], other.millis[i]);
		}
		return new PropertyTimes(merged);
	}

	long[] toArray() {
		return this.millis.clone();
	}

	boolean isEmpty() {
		return Arrays.stream(this.millis).allMatch((time) -> time == 0);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof PropertyTimes times && Arrays.equals(this.millis, times.millis);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.millis);
	}

	@Override
	public String toString() {
		return "PropertyTimes" + Arrays.toString(this.millis);
	}

}
