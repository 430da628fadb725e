package com.portaone.nsps.hubspot.redis;

import java.time.Duration;

import com.portaone.nsps.hubspot.client.PermitSchedule;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.redisson.Bucket4jRedisson;
import org.redisson.Redisson;

/**
 * The permit schedule shared by every replica: a Bucket4j bucket in Redis holding one
 * permit, refilled once per spacing. A permit is reserved rather than polled for, as in
 * one process: each replica learns when its permit is due and waits for it itself, so the
 * permits of all replicas keep the spacing exactly, none lost to polling. A Redis that
 * restarted empty gets the bucket anew on the next permit.
 */
final class RedisPermitSchedule implements PermitSchedule {

	private final SharedState state;

	private final BucketProxy bucket;

	private volatile BucketConfiguration configuration;

	/** Whether the bucket may exist in Redis yet: before the first permit it does not. */
	private volatile boolean used;

	RedisPermitSchedule(SharedState state) {
		this.state = state;
		this.configuration = configuration(Duration.ofMillis(100));
		this.bucket = Bucket4jRedisson.casBasedBuilder(((Redisson) state.redisson()).getCommandExecutor())
			.expirationAfterWrite(
					ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
			.build()
			.builder()
			.build(state.key("budget:permits"), () -> this.configuration);
	}

	private static BucketConfiguration configuration(Duration spacing) {
		return BucketConfiguration.builder().addLimit((limit) -> limit.capacity(1).refillGreedy(1, spacing)).build();
	}

	@Override
	public long reserve(long maxWaitNanos) {
		this.used = true;
		long[] due = { 0 };
		boolean reserved = this.state.call(() -> {
			try {
				// Not a wait: the nanoseconds until the reserved permit is due come back.
				return this.bucket.asBlocking().tryConsume(1, Math.max(0, maxWaitNanos), (nanos) -> due[0] = nanos);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		});
		return reserved ? due[0] : -1;
	}

	@Override
	public void respace(Duration spacing) {
		this.configuration = configuration(spacing);
		if (!this.used) {
			// The bucket is made with this configuration on the first permit.
			return;
		}
		this.state.call(() -> {
			this.bucket.replaceConfiguration(this.configuration, TokensInheritanceStrategy.AS_IS);
			return null;
		});
	}

}
