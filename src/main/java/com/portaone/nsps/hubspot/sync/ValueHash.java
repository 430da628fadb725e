package com.portaone.nsps.hubspot.sync;

/**
 * A 64-bit hash of a property value, so that the store can tell whether HubSpot holds a
 * value already without keeping the value: FNV-1a over the UTF-16 units, then
 * SplitMix64's finalizer to spread the bits. Never 0, which the store reads as "no
 * value".
 */
final class ValueHash {

	private ValueHash() {
	}

	static long of(String value) {
		long hash = 0xcbf29ce484222325L;
		for (int i = 0; i < value.length(); i++) {
			hash ^= value.charAt(i);
			hash *= 0x100000001b3L;
		}
		hash ^= hash >>> 30;
		hash *= 0xbf58476d1ce4e5b9L;
		hash ^= hash >>> 27;
		hash *= 0x94d049bb133111ebL;
		hash ^= hash >>> 31;
		return (hash != 0) ? hash : 1;
	}

}
