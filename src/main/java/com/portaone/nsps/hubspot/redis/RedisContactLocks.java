package com.portaone.nsps.hubspot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.portaone.nsps.hubspot.sync.ContactLocks;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

/**
 * Contact locks shared by every replica: per claim (a contact's key, its emails) a key
 * {@code <prefix>lock:<claim>} holding {@code <replica>:<write>}, taken without waiting,
 * for the length of one write. A lock whose replica died expires after its lease, longer
 * than any write can take (the event deadline, plus an HTTP timeout, plus margin). A
 * write that left HubSpot a request it may still apply marks its claims in doubt
 * ({@code <prefix>doubt:<claim>}, expiring with the doubt) as it lets them go; no replica
 * takes a claim in doubt.
 * <p>
 * A lock this replica holds for an earlier write is that write's leftover: its unlock was
 * lost to Redis, or its lock reached Redis after Redisson had given up on it. The
 * dispatcher never runs two writes of one claim, so this replica's next write takes such
 * a lock over rather than wait out its lease; the other replicas wait. One script locks a
 * round's contacts and one unlocks them, each in one round trip.
 */
final class RedisContactLocks implements ContactLocks {

	/** What another replica's write is guessed to take still. */
	private static final Duration BUSY_ELSEWHERE = Duration.ofMillis(50);

	/**
	 * KEYS: per claim its lock and its doubt. ARGV: this replica's prefix, the owner, the
	 * lease, then per contact its number of claims. Per contact: 0 when locked for this
	 * write (all its claims), -1 when another replica holds a claim, else the doubt left
	 * in milliseconds.
	 */
	private static final String LOCK = """
			local replica, owner, lease = ARGV[1], ARGV[2], ARGV[3]
			local busy = {}
			local k = 1
			for c = 4, #ARGV do
			  local n = tonumber(ARGV[c])
			  local elsewhere, doubt = false, 0
			  for i = 0, n - 1 do
			    local held = redis.call('GET', KEYS[k + 2 * i])
			    if held and string.sub(held, 1, #replica) ~= replica then elsewhere = true end
			    doubt = math.max(doubt, redis.call('PTTL', KEYS[k + 2 * i + 1]))
			  end
			  if elsewhere then
			    busy[#busy + 1] = -1
			  elseif doubt > 0 then
			    busy[#busy + 1] = doubt
			  else
			    for i = 0, n - 1 do redis.call('SET', KEYS[k + 2 * i], owner, 'PX', lease) end
			    busy[#busy + 1] = 0
			  end
			  k = k + 2 * n
			end
			return busy
			""";

	/**
	 * KEYS: per claim its lock and its doubt. ARGV: the owner, then per claim its doubt
	 * in milliseconds (0: none). A lock another write holds now stays.
	 */
	private static final String UNLOCK = """
			for i = 1, #KEYS, 2 do
			  local doubt = tonumber(ARGV[(i + 1) / 2 + 1])
			  if doubt > 0 then redis.call('SET', KEYS[i + 1], '1', 'PX', doubt) end
			  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
			end
			return 0
			""";

	private final SharedState state;

	private final long leaseMillis;

	private final String replica = UUID.randomUUID() + ":";

	RedisContactLocks(SharedState state, Duration lease) {
		this.state = state;
		this.leaseMillis = lease.toMillis();
	}

	@Override
	public List<Duration> tryLock(List<List<String>> claims, long owner) {
		List<Object> keys = new ArrayList<>();
		List<Object> arguments = new ArrayList<>(
				List.of(this.replica, this.replica + owner, Long.toString(this.leaseMillis)));
		for (List<String> contact : claims) {
			contact.forEach((claim) -> addKeys(keys, claim));
			arguments.add(Integer.toString(contact.size()));
		}
		List<Long> answers = this.state.call(() -> this.state.redisson()
			.getScript(StringCodec.INSTANCE)
			.eval(RScript.Mode.READ_WRITE, LOCK, RScript.ReturnType.MULTI, keys, arguments.toArray()));
		return answers.stream().map((millis) -> (millis < 0) ? BUSY_ELSEWHERE : Duration.ofMillis(millis)).toList();
	}

	@Override
	public void unlock(List<List<String>> claims, long owner, List<Duration> inDoubtFor) {
		List<Object> keys = new ArrayList<>();
		List<Object> arguments = new ArrayList<>(List.of(this.replica + owner));
		for (int c = 0; c < claims.size(); c++) {
			String doubt = Long.toString(inDoubtFor.get(c).toMillis());
			for (String claim : claims.get(c)) {
				addKeys(keys, claim);
				arguments.add(doubt);
			}
		}
		this.state.call(() -> this.state.redisson()
			.getScript(StringCodec.INSTANCE)
			.eval(RScript.Mode.READ_WRITE, UNLOCK, RScript.ReturnType.INTEGER, keys, arguments.toArray()));
	}

	private void addKeys(List<Object> keys, String claim) {
		keys.add(this.state.key("lock:" + claim));
		keys.add(this.state.key("doubt:" + claim));
	}

}
