package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.redis.SharedState;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

/**
 * The ordering store shared by every replica, surviving restarts: per contact a hash of
 * property → time of the value last written ({@code <prefix>times:<email>}), raised
 * atomically so that times only grow, whatever writes overlap; per confirmed event a key
 * ({@code <prefix>event:<id>}). Both expire {@code REDELIVERY_STORE_TTL_DAYS} after their
 * last write.
 */
final class RedisOrderingStore implements OrderingStore {

	/** Raises each named field to the given time if it is later; then renews the TTL. */
	private static final String RAISE_TIMES = """
			for i = 1, #ARGV - 1, 2 do
			  local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
			  if tonumber(ARGV[i + 1]) > current then
			    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
			  end
			end
			redis.call('PEXPIRE', KEYS[1], ARGV[#ARGV])
			return 0
			""";

	private final SharedState state;

	private final Duration ttl;

	RedisOrderingStore(SharedState state, RedeliverySettings settings) {
		this.state = state;
		this.ttl = settings.storeTtl();
	}

	@Override
	public Map<String, PropertyTimes> propertyTimes(Collection<String> contactKeys) {
		List<String> keys = new ArrayList<>(contactKeys);
		if (keys.isEmpty()) {
			return Map.of();
		}
		BatchResult<?> results = this.state.call(() -> {
			RBatch batch = this.state.redisson().createBatch();
			keys.forEach((key) -> batch.<String, String>getMap(timesKey(key), StringCodec.INSTANCE).readAllMapAsync());
			return batch.execute();
		});
		Map<String, PropertyTimes> known = new HashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			@SuppressWarnings("unchecked")
			Map<String, String> fields = (Map<String, String>) results.getResponses().get(i);
			if (fields == null || fields.isEmpty()) {
				continue;
			}
			long[] millis = new long[PropertyTimes.NAMES.size()];
			for (int p = 0; p < millis.length; p++) {
				String value = fields.get(PropertyTimes.NAMES.get(p));
				millis[p] = (value != null) ? Long.parseLong(value) : 0;
			}
			known.put(keys.get(i), PropertyTimes.of(millis));
		}
		return known;
	}

	/** One round trip for all the writes of a batch. */
	@Override
	public void written(List<Written> writes) {
		if (writes.isEmpty()) {
			return;
		}
		this.state.call(() -> {
			RBatch batch = this.state.redisson().createBatch();
			for (Written write : writes) {
				List<Object> arguments = new ArrayList<>();
				long[] millis = write.times().toArray();
				for (int p = 0; p < millis.length; p++) {
					if (millis[p] > 0) {
						arguments.add(PropertyTimes.NAMES.get(p));
						arguments.add(Long.toString(millis[p]));
					}
				}
				if (!arguments.isEmpty()) {
					arguments.add(Long.toString(this.ttl.toMillis()));
					batch.getScript(StringCodec.INSTANCE)
						.evalAsync(RScript.Mode.READ_WRITE, RAISE_TIMES, RScript.ReturnType.INTEGER,
								List.of(timesKey(write.contactKey())), arguments.toArray());
				}
				for (String eventId : write.eventIds()) {
					batch.getBucket(eventKey(eventId), StringCodec.INSTANCE)
						.setAsync("1", this.ttl.toMillis(), TimeUnit.MILLISECONDS);
				}
			}
			return batch.execute();
		});
	}

	@Override
	public boolean isConfirmed(String eventId) {
		return this.state
			.call(() -> this.state.redisson().getBucket(eventKey(eventId), StringCodec.INSTANCE).isExists());
	}

	private String timesKey(String contactKey) {
		return this.state.key("times:" + contactKey);
	}

	private String eventKey(String eventId) {
		return this.state.key("event:" + eventId);
	}

}
