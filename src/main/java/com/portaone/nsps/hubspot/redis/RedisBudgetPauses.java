package com.portaone.nsps.hubspot.redis;

import java.time.Instant;
import java.util.List;

import com.portaone.nsps.hubspot.client.BudgetPauses;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

/**
 * The budget's pauses shared by every replica: a 429 one of them gets pauses them all.
 * Each is one key holding an epoch millisecond, raised atomically, expiring with the
 * pause.
 */
final class RedisBudgetPauses implements BudgetPauses {

	/** Sets the key to the later of its value and the given one, expiring then. */
	private static final String RAISE = """
			local current = tonumber(redis.call('GET', KEYS[1]) or '0')
			local later = tonumber(ARGV[1])
			if later > current then
			  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
			end
			return 0
			""";

	private final SharedState state;

	private final String pausedKey;

	private final String cooldownKey;

	RedisBudgetPauses(SharedState state) {
		this.state = state;
		this.pausedKey = state.key("budget:paused-until");
		this.cooldownKey = state.key("budget:cooldown-until");
	}

	@Override
	public Instant pausedUntil() {
		return read(this.pausedKey);
	}

	@Override
	public void pauseUntil(Instant until) {
		raise(this.pausedKey, until);
	}

	@Override
	public Instant cooldownUntil() {
		return read(this.cooldownKey);
	}

	@Override
	public void coolDownUntil(Instant until) {
		raise(this.cooldownKey, until);
	}

	private Instant read(String key) {
		String value = this.state.call(() -> this.state.redisson().<String>getBucket(key, StringCodec.INSTANCE).get());
		return (value != null) ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.MIN;
	}

	private void raise(String key, Instant until) {
		long millis = until.toEpochMilli();
		long ttl = Math.max(1, millis - System.currentTimeMillis());
		this.state.call(() -> this.state.redisson()
			.getScript(StringCodec.INSTANCE)
			.eval(RScript.Mode.READ_WRITE, RAISE, RScript.ReturnType.INTEGER, List.of(key), String.valueOf(millis),
					String.valueOf(ttl)));
	}

}
