package com.portaone.nsps.hubspot.event;

import java.nio.charset.StandardCharsets;

import com.portaone.nsps.hubspot.SimEvents;

/**
 * Time of reading one event (binding and validation) in a loop: 1,000 generated
 * SIM/Created events read 30 times a round, ten rounds, the first of them the cold one.
 * Run with the JVM options to compare, for example the image's:
 * {@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) com.portaone.nsps.hubspot.event.EventReadBenchmark}
 * ({@code target/test-classpath.txt} as {@code scripts/benchmark-compare.sh} writes it).
 */
public final class EventReadBenchmark {

	private EventReadBenchmark() {
	}

	public static void main(String[] args) {
		NspsEventReader reader = new NspsEventReader(new EventRules("", ""));
		byte[][] bodies = new byte[1_000][];
		for (int n = 0; n < bodies.length; n++) {
			bodies[n] = SimEvents.created("read-benchmark", n).getBytes(StandardCharsets.UTF_8);
		}
		for (int round = 0; round < 10; round++) {
			long started = System.nanoTime();
			int read = 0;
			for (int pass = 0; pass < 30; pass++) {
				for (byte[] body : bodies) {
					read += reader.read(body).isSupported() ? 1 : 0;
				}
			}
			System.out.printf("EVENT_READ | round %d | %d ns per event%n", round, (System.nanoTime() - started) / read);
		}
	}

}
