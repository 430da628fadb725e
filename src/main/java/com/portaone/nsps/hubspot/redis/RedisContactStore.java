package com.portaone.nsps.hubspot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.portaone.nsps.hubspot.sync.ContactChange;
import com.portaone.nsps.hubspot.sync.ContactState;
import com.portaone.nsps.hubspot.sync.ContactStore;
import org.jspecify.annotations.Nullable;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.client.codec.StringCodec;

/**
 * The contact store shared by every replica, surviving restarts:
 * <ul>
 * <li>per subscriber a hash ({@code <prefix>contact:<key>}): {@code id} (HubSpot's record
 * id), {@code em} (the email last written) and per property
 * {@code <time>:<hash>:<confirmed at>};</li>
 * <li>per email the account it belongs to ({@code <prefix>account-of:<email>});</li>
 * <li>per confirmed event a key ({@code <prefix>event:<id>}).</li>
 * </ul>
 * One script applies a contact's change atomically, by {@link ContactState#apply}'s rule
 * (a new record id drops the old one's hashes, a value never confirmed its property's
 * confirmation), with its email and its events; a round's changes go in one round trip.
 * Everything expires {@code REDELIVERY_STORE_TTL_DAYS} after its last change. The keys of
 * one change lie in one Redis, as a standalone Redis (or a managed endpoint that looks
 * like one) has them.
 */
final class RedisContactStore implements ContactStore {

	/**
	 * KEYS: contact, account-of, events... ARGV: ttl, record id, email, account, tried
	 * email, count, then per property name, time, hash, confirmed at. Times compare as
	 * numbers (epoch milliseconds are exact in Lua's doubles); hashes are kept as the
	 * strings given.
	 */
	private static final String APPLY = """
			local ttl = ARGV[1]
			local known = redis.call('HGET', KEYS[1], 'id')
			if ARGV[2] ~= '' and known and known ~= ARGV[2] then
			  local fields = redis.call('HGETALL', KEYS[1])
			  for f = 1, #fields, 2 do
			    if fields[f] ~= 'id' and fields[f] ~= 'em' then
			      local t = string.match(fields[f + 1], '^([^:]*):')
			      redis.call('HSET', KEYS[1], fields[f], t .. ':0:0')
			    end
			  end
			end
			local n = tonumber(ARGV[6])
			local i = 7
			for k = 1, n do
			  local name, time, hash, conf = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
			  i = i + 4
			  local current = redis.call('HGET', KEYS[1], name)
			  local curTime, curHash, curConf = '0', '0', '0'
			  if current then
			    curTime, curHash, curConf = string.match(current, '^([^:]*):([^:]*):([^:]*)$')
			  end
			  if conf == '-1' then
			    if current then
			      redis.call('HSET', KEYS[1], name, curTime .. ':' .. curHash .. ':0')
			    end
			  elseif hash ~= '0' then
			    if tonumber(time) >= tonumber(curTime) then
			      redis.call('HSET', KEYS[1], name, time .. ':' .. hash .. ':' .. conf)
			      if name == 'email' and ARGV[3] ~= '' then
			        redis.call('HSET', KEYS[1], 'em', ARGV[3])
			      end
			    end
			  elseif tonumber(time) > tonumber(curTime) then
			    redis.call('HSET', KEYS[1], name, time .. ':' .. curHash .. ':' .. curConf)
			  end
			end
			if ARGV[2] ~= '' then
			  redis.call('HSET', KEYS[1], 'id', ARGV[2])
			end
			if ARGV[5] ~= '' then
			  redis.call('HSET', KEYS[1], 'tr', ARGV[5])
			end
			if redis.call('EXISTS', KEYS[1]) == 1 then
			  redis.call('PEXPIRE', KEYS[1], ttl)
			end
			if ARGV[4] ~= '' and ARGV[3] ~= '' then
			  redis.call('SET', KEYS[2], ARGV[4], 'PX', ttl)
			end
			for k = 3, #KEYS do
			  redis.call('SET', KEYS[k], '1', 'PX', ttl)
			end
			return 0
			""";

	private final SharedState state;

	private final Duration ttl;

	RedisContactStore(SharedState state, Duration ttl) {
		this.state = state;
		this.ttl = ttl;
	}

	@Override
	public Arrival arrival(String eventId, @Nullable String email) {
		BatchResult<?> results = this.state.call(() -> {
			RBatch batch = this.state.redisson().createBatch();
			batch.getBucket(eventKey(eventId), StringCodec.INSTANCE).isExistsAsync();
			if (email != null) {
				batch.getBucket(accountKey(email.toLowerCase(Locale.ROOT)), StringCodec.INSTANCE).getAsync();
			}
			return batch.execute();
		});
		boolean confirmed = Boolean.TRUE.equals(results.getResponses().get(0));
		Long account = (email != null) ? parseAccount(results.getResponses().get(1)) : null;
		return new Arrival(confirmed, account);
	}

	@Override
	public Snapshot snapshot(Collection<String> keys, Collection<String> emails) {
		List<String> keyList = new ArrayList<>(keys);
		List<String> emailList = new ArrayList<>(emails);
		if (keyList.isEmpty() && emailList.isEmpty()) {
			return new Snapshot(Map.of(), Map.of());
		}
		BatchResult<?> results = this.state.call(() -> {
			RBatch batch = this.state.redisson().createBatch();
			keyList.forEach(
					(key) -> batch.<String, String>getMap(contactKey(key), StringCodec.INSTANCE).readAllMapAsync());
			emailList.forEach((email) -> batch.getBucket(accountKey(email), StringCodec.INSTANCE).getAsync());
			return batch.execute();
		});
		Map<String, ContactState> states = new HashMap<>();
		for (int i = 0; i < keyList.size(); i++) {
			@SuppressWarnings("unchecked")
			Map<String, String> fields = (Map<String, String>) results.getResponses().get(i);
			if (fields != null && !fields.isEmpty()) {
				states.put(keyList.get(i), state(fields));
			}
		}
		Map<String, Long> accounts = new HashMap<>();
		for (int i = 0; i < emailList.size(); i++) {
			Long account = parseAccount(results.getResponses().get(keyList.size() + i));
			if (account != null) {
				accounts.put(emailList.get(i), account);
			}
		}
		return new Snapshot(states, accounts);
	}

	/** One round trip for all the changes of a round. */
	@Override
	public void record(List<ContactChange> changes) {
		if (changes.isEmpty()) {
			return;
		}
		this.state.call(() -> {
			RBatch batch = this.state.redisson().createBatch();
			for (ContactChange change : changes) {
				List<Object> keys = new ArrayList<>();
				keys.add(contactKey(change.key()));
				keys.add((change.email() != null) ? accountKey(change.email().toLowerCase(Locale.ROOT))
						: contactKey(change.key()));
				change.eventIds().forEach((id) -> keys.add(eventKey(id)));
				List<Object> arguments = new ArrayList<>(
						List.of(Long.toString(this.ttl.toMillis()), nonNull(change.recordId()), nonNull(change.email()),
								(change.account() != null) ? Long.toString(change.account()) : "",
								nonNull(change.triedEmail())));
				List<Object> properties = new ArrayList<>();
				int count = 0;
				for (int p = 0; p < ContactState.PROPERTIES.size(); p++) {
					if (change.time(p) != 0) {
						count++;
						properties.add(ContactState.PROPERTIES.get(p));
						properties.add(Long.toString(change.time(p)));
						properties.add(Long.toString(change.hash(p)));
						properties.add(Long.toString(change.confirmedAt(p)));
					}
				}
				arguments.add(Integer.toString(count));
				arguments.addAll(properties);
				batch.getScript(StringCodec.INSTANCE)
					.evalAsync(RScript.Mode.READ_WRITE, APPLY, RScript.ReturnType.INTEGER, keys, arguments.toArray());
			}
			return batch.execute();
		});
	}

	private static ContactState state(Map<String, String> fields) {
		long[] slots = new long[ContactState.PROPERTIES.size() * ContactState.SLOT];
		for (int p = 0; p < ContactState.PROPERTIES.size(); p++) {
			String value = fields.get(ContactState.PROPERTIES.get(p));
			if (value == null) {
				continue;
			}
			String[] parts = value.split(":", 3);
			for (int s = 0; s < ContactState.SLOT && s < parts.length; s++) {
				slots[p * ContactState.SLOT + s] = Long.parseLong(parts[s]);
			}
		}
		return ContactState.of(fields.get("id"), fields.get("em"), fields.get("tr"), slots);
	}

	private static @Nullable Long parseAccount(@Nullable Object value) {
		if (value instanceof String text && !text.isEmpty()) {
			try {
				return Long.valueOf(text);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

	private static String nonNull(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private String contactKey(String key) {
		return this.state.key("contact:" + key);
	}

	private String accountKey(String email) {
		return this.state.key("account-of:" + email);
	}

	private String eventKey(String eventId) {
		return this.state.key("event:" + eventId);
	}

}
