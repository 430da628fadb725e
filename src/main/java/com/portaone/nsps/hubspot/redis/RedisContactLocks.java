package com.portaone.nsps.hubspot.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.portaone.nsps.hubspot.sync.ContactLocks;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.client.codec.StringCodec;

/**
 * Contact locks shared by every replica: one Redisson lock per claim (a contact's key,
 * its emails), taken without waiting, for the length of one write. A lock whose replica
 * died expires after its lease, longer than any write can take (the event deadline, plus
 * an HTTP timeout, plus margin). A write that left HubSpot a request it may still apply
 * marks its claims in doubt ({@code <prefix>doubt:<claim>}, expiring with the doubt)
 * before it lets them go; a replica that locks a claim in doubt lets it go again at once.
 */
final class RedisContactLocks implements ContactLocks {

	/** What another replica's write is guessed to take still. */
	private static final Duration BUSY_ELSEWHERE = Duration.ofMillis(50);

	private final SharedState state;

	private final long leaseMillis;

	RedisContactLocks(SharedState state, Duration lease) {
		this.state = state;
		this.leaseMillis = lease.toMillis();
	}

	@Override
	public List<Duration> tryLock(List<List<String>> claims, long owner) {
		List<List<CompletableFuture<Boolean>>> locking = new ArrayList<>();
		for (List<String> contact : claims) {
			List<CompletableFuture<Boolean>> each = new ArrayList<>();
			for (String claim : contact) {
				each.add(this.state.call(() -> this.state.redisson()
					.getLock(lockName(claim))
					.tryLockAsync(0, this.leaseMillis, TimeUnit.MILLISECONDS, owner)
					.toCompletableFuture()));
			}
			locking.add(each);
		}
		List<List<String>> locked = new ArrayList<>();
		List<Duration> busy = new ArrayList<>();
		try {
			for (int c = 0; c < claims.size(); c++) {
				List<String> mine = new ArrayList<>();
				for (int i = 0; i < claims.get(c).size(); i++) {
					if (Boolean.TRUE.equals(locking.get(c).get(i).join())) {
						mine.add(claims.get(c).get(i));
					}
				}
				locked.add(mine);
				busy.add((mine.size() == claims.get(c).size()) ? Duration.ZERO : BUSY_ELSEWHERE);
			}
			List<Duration> doubts = inDoubt(claims);
			for (int c = 0; c < claims.size(); c++) {
				if (busy.get(c).isZero() && !doubts.get(c).isZero()) {
					busy.set(c, doubts.get(c));
				}
			}
		}
		catch (RuntimeException ex) {
			// Those taken before Redis failed expire with their lease; let them go now.
			locked.forEach((mine) -> unlockQuietly(mine, owner));
			throw SharedState.unavailable(ex);
		}
		for (int c = 0; c < claims.size(); c++) {
			if (!busy.get(c).isZero()) {
				unlockQuietly(locked.get(c), owner);
			}
		}
		return busy;
	}

	@Override
	public void unlock(List<List<String>> claims, long owner, List<Duration> inDoubtFor) {
		try {
			this.state.call(() -> {
				RBatch batch = this.state.redisson().createBatch();
				boolean any = false;
				for (int c = 0; c < claims.size(); c++) {
					long millis = inDoubtFor.get(c).toMillis();
					if (millis > 0) {
						any = true;
						for (String claim : claims.get(c)) {
							batch.getBucket(doubtName(claim), StringCodec.INSTANCE)
								.setAsync("1", millis, TimeUnit.MILLISECONDS);
						}
					}
				}
				return any ? batch.execute() : null;
			});
		}
		finally {
			claims.forEach((contact) -> unlockQuietly(contact, owner));
		}
	}

	/** Per contact, the longest doubt left on its claims. */
	private List<Duration> inDoubt(List<List<String>> claims) {
		BatchResult<?> results = this.state.call(() -> {
			RBatch batch = this.state.redisson().createBatch();
			claims.forEach((contact) -> contact
				.forEach((claim) -> batch.getBucket(doubtName(claim), StringCodec.INSTANCE).remainTimeToLiveAsync()));
			return batch.execute();
		});
		List<Duration> doubts = new ArrayList<>();
		int at = 0;
		for (List<String> contact : claims) {
			long longest = 0;
			for (int i = 0; i < contact.size(); i++) {
				Object ttl = results.getResponses().get(at++);
				if (ttl instanceof Long millis && millis > 0) {
					longest = Math.max(longest, millis);
				}
			}
			doubts.add(Duration.ofMillis(longest));
		}
		return doubts;
	}

	/**
	 * Releases the locks and waits for Redis; a lock that expired meanwhile is not ours.
	 */
	private void unlockQuietly(List<String> claims, long owner) {
		List<CompletableFuture<Void>> released = new ArrayList<>();
		for (String claim : claims) {
			released.add(this.state.redisson().getLock(lockName(claim)).unlockAsync(owner).toCompletableFuture());
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

	private String lockName(String claim) {
		return this.state.key("lock:" + claim);
	}

	private String doubtName(String claim) {
		return this.state.key("doubt:" + claim);
	}

}
