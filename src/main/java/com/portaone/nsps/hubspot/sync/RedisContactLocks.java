package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.redis.SharedState;

/**
 * Contact locks shared by every replica: one Redisson lock a contact, taken without
 * waiting for the length of one write. A lock whose replica died expires after its lease,
 * longer than any write can take (the event deadline, plus an HTTP timeout, plus margin).
 */
final class RedisContactLocks implements ContactLocks {

	private final SharedState state;

	private final long leaseMillis;

	RedisContactLocks(SharedState state, Duration lease) {
		this.state = state;
		this.leaseMillis = lease.toMillis();
	}

	@Override
	public Set<String> tryLock(Collection<String> contactKeys, long owner) {
		List<String> keys = new ArrayList<>(contactKeys);
		List<CompletableFuture<Boolean>> locked = new ArrayList<>();
		for (String key : keys) {
			locked.add(this.state.call(() -> this.state.redisson()
				.getLock(lockName(key))
				.tryLockAsync(0, this.leaseMillis, TimeUnit.MILLISECONDS, owner)
				.toCompletableFuture()));
		}
		Set<String> mine = new HashSet<>();
		try {
			for (int i = 0; i < keys.size(); i++) {
				if (Boolean.TRUE.equals(locked.get(i).join())) {
					mine.add(keys.get(i));
				}
			}
		}
		catch (RuntimeException ex) {
			// Those taken before Redis failed expire with their lease; let them go now.
			unlockQuietly(mine, owner);
			throw SharedState.unavailable(ex);
		}
		return mine;
	}

	@Override
	public void unlock(Collection<String> contactKeys, long owner) {
		unlockQuietly(contactKeys, owner);
	}

	/**
	 * Releases the locks and waits for Redis; a lock that expired meanwhile is not ours.
	 */
	private void unlockQuietly(Collection<String> contactKeys, long owner) {
		List<CompletableFuture<Void>> released = new ArrayList<>();
		for (String key : contactKeys) {
			released.add(this.state.redisson().getLock(lockName(key)).unlockAsync(owner).toCompletableFuture());
		}
		for (CompletableFuture<Void> each : released) {
			try {
				each.join();
			}
			catch (RuntimeException ex) {
				// Expired already, or Redis is gone: the lease ends it either way.
			}
		}
	}

	private String lockName(String contactKey) {
		return this.state.key("lock:" + contactKey);
	}

}
