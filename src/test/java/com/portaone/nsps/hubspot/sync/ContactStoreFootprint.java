package com.portaone.nsps.hubspot.sync;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Measures the heap the in-process contact store takes per subscriber: each with its
 * record id, its email, all its properties written (time, hash, confirmation), the email
 * leading to its account, and one confirmed event id (a UUID, as NSPS sends them).
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) com.portaone.nsps.hubspot.sync.ContactStoreFootprint 200000
 * </pre>
 */
public final class ContactStoreFootprint {

	private ContactStoreFootprint() {
	}

	public static void main(String[] args) throws Exception {
		int contacts = (args.length > 0) ? Integer.parseInt(args[0]) : 200_000;
		long before = usedAfterGc();
		ContactStore store = ContactStore.inProcess(new StoreSettings(contacts, Duration.ofDays(7)));
		for (int i = 0; i < contacts; i++) {
			store.record(List.of(fullChange(i)));
		}
		long after = usedAfterGc();
		System.out.printf(Locale.ROOT, "contact store: %d subscribers, %.1f MB, %d bytes per subscriber%n", contacts,
				(after - before) / 1e6, (after - before) / contacts);
		Reference.reachabilityFence(store);
	}

	/**
	 * A subscriber as a bulk import leaves it: every property written and confirmed once.
	 */
	public static ContactChange fullChange(int i) {
		long[] slots = new long[ContactState.PROPERTIES.size() * ContactState.SLOT];
		for (int p = 0; p < ContactState.PROPERTIES.size(); p++) {
			slots[p * ContactState.SLOT] = 1_780_000_000_000L + i + p;
			slots[p * ContactState.SLOT + 1] = ValueHash.of("value-" + i + "-" + p);
			slots[p * ContactState.SLOT + 2] = 1_780_000_100_000L + i;
		}
		return new ContactChange(Identity.ofAccount(100_000L + i), Long.toString(30_000_000_000L + i),
				"subscriber-" + i + "@example-operator.com", slots, List.of(UUID.randomUUID().toString()), 100_000L + i,
				null);
	}

	private static long usedAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(200);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
