package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.portaone.nsps.hubspot.TestRedis;
import com.portaone.nsps.hubspot.redis.SharedState;
import com.portaone.nsps.hubspot.redis.SharedStates;
import org.redisson.api.redisnode.RedisNodes;

/**
 * Measures Redis's memory per contact of the shared ordering store: each contact with all
 * its properties timed and one confirmed event id (a UUID, as NSPS sends them), written
 * in batches of 100 as confirmed batch upserts are. Memory is Redis's own
 * {@code used_memory}, before and after, in a fresh {@code redis-server}.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) com.portaone.nsps.hubspot.sync.RedisOrderingStoreFootprint 1000000
 * </pre>
 */
public final class RedisOrderingStoreFootprint {

	private RedisOrderingStoreFootprint() {
	}

	public static void main(String[] args) throws Exception {
		int contacts = (args.length > 0) ? Integer.parseInt(args[0]) : 200_000;
		try (TestRedis redis = TestRedis.start()) {
			SharedState state = SharedStates.connect(redis.url(), "nsps-hubspot:");
			try {
				RedisOrderingStore store = new RedisOrderingStore(state,
						new RedeliverySettings(contacts, Duration.ofDays(7)));
				long before = usedMemory(state);
				long[] times = new long[PropertyTimes.NAMES.size()];
				List<OrderingStore.Written> batch = new ArrayList<>();
				for (int i = 0; i < contacts; i++) {
					for (int p = 0; p < times.length; p++) {
						times[p] = 1_780_000_000_000L + i + p;
					}
					batch.add(new OrderingStore.Written("subscriber-" + i + "@example-operator.com",
							PropertyTimes.of(times), List.of(UUID.randomUUID().toString())));
					if (batch.size() == 100) {
						store.written(batch);
						batch.clear();
					}
				}
				store.written(batch);
				long after = usedMemory(state);
				System.out.printf(Locale.ROOT,
						"Redis ordering store: %d contacts, %.1f MB, %d bytes per contact, %.0f MB per million%n",
						contacts, (after - before) / 1e6, (after - before) / contacts,
						(after - before) / (double) contacts * 1_000_000 / 1e6);
			}
			finally {
				SharedStates.close(state);
			}
		}
	}

	private static long usedMemory(SharedState state) {
		return Long.parseLong(state.redisson()
			.getRedisNodes(RedisNodes.SINGLE)
			.getInstance()
			.info(org.redisson.api.redisnode.RedisNode.InfoSection.MEMORY)
			.get("used_memory"));
	}

}
