package com.portaone.nsps.hubspot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.portaone.nsps.hubspot.TestRedis;
import com.portaone.nsps.hubspot.sync.ContactChange;
import com.portaone.nsps.hubspot.sync.ContactStoreFootprint;
import org.redisson.api.redisnode.RedisNodes;

/**
 * Measures Redis's memory per subscriber of the shared contact store: each as
 * {@link ContactStoreFootprint#fullChange} makes it (record id, email, every property
 * written, the email's account, one confirmed event id), written in batches of 100 as
 * confirmed batch upserts are. Memory is Redis's own {@code used_memory}, before and
 * after, in a fresh {@code redis-server}.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) com.portaone.nsps.hubspot.redis.RedisContactStoreFootprint 1000000
 * </pre>
 */
public final class RedisContactStoreFootprint {

	private RedisContactStoreFootprint() {
	}

	public static void main(String[] args) throws Exception {
		int contacts = (args.length > 0) ? Integer.parseInt(args[0]) : 200_000;
		try (TestRedis redis = TestRedis.start()) {
			SharedState state = SharedStates.connect(redis.url(), "nsps-hubspot:");
			try {
				RedisContactStore store = new RedisContactStore(state, Duration.ofDays(7));
				long before = usedMemory(state);
				List<ContactChange> batch = new ArrayList<>();
				for (int i = 0; i < contacts; i++) {
					batch.add(ContactStoreFootprint.fullChange(i));
					if (batch.size() == 100) {
						store.record(batch);
						batch.clear();
					}
				}
				store.record(batch);
				long after = usedMemory(state);
				System.out.printf(Locale.ROOT,
						"Redis contact store: %d subscribers, %.1f MB, %d bytes per subscriber, %.0f MB per million%n",
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
