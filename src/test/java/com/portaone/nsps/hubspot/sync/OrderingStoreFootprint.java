package com.portaone.nsps.hubspot.sync;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Measures the heap the in-process ordering store takes per contact: each contact with
 * all its properties timed and one confirmed event id (a UUID, as NSPS sends them).
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) com.portaone.nsps.hubspot.sync.OrderingStoreFootprint 200000
 * </pre>
 */
public final class OrderingStoreFootprint {

	private OrderingStoreFootprint() {
	}

	public static void main(String[] args) throws Exception {
		int contacts = (args.length > 0) ? Integer.parseInt(args[0]) : 200_000;
		long before = usedAfterGc();
		LocalOrderingStore store = new LocalOrderingStore(new RedeliverySettings(contacts, Duration.ofDays(7)));
		long[] times = new long[PropertyTimes.NAMES.size()];
		for (int i = 0; i < contacts; i++) {
			for (int p = 0; p < times.length; p++) {
				times[p] = 1_780_000_000_000L + i + p;
			}
			store.written("subscriber-" + i + "@example-operator.com", PropertyTimes.of(times),
					List.of(UUID.randomUUID().toString()));
		}
		long after = usedAfterGc();
		System.out.printf(Locale.ROOT, "ordering store: %d contacts, %.1f MB, %d bytes per contact%n", contacts,
				(after - before) / 1e6, (after - before) / contacts);
		Reference.reachabilityFence(store);
	}

	private static long usedAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(200);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
