package com.portaone.nsps.hubspot.redis;

import java.time.Duration;
import java.util.UUID;

import com.portaone.nsps.hubspot.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replicas' shared send window against a real Redis: the sends of all replicas
 * together fit the window limit, whichever replica makes them.
 */
class RedisSendWindowTest {

	private final String prefix = "send-window-" + UUID.randomUUID() + ":";

	private final SharedState first = SharedStates.connect(TestRedis.sharedUrl(), this.prefix);

	private final SharedState second = SharedStates.connect(TestRedis.sharedUrl(), this.prefix);

	@AfterEach
	void close() {
		SharedStates.close(this.first);
		SharedStates.close(this.second);
	}

	@Test
	void theSendsOfAllReplicasFitOneWindow() throws Exception {
		Duration interval = Duration.ofSeconds(1);
		RedisSendWindow one = window(this.first, 3, interval);
		RedisSendWindow other = window(this.second, 3, interval);
		assertThat(one.tryRecord(0)).isTrue();
		assertThat(other.tryRecord(0)).isTrue();
		assertThat(one.tryRecord(0)).isTrue();
		assertThat(other.tryRecord(0)).as("a fourth send in the window").isFalse();
		assertThat(one.tryRecord(0)).as("a fourth send in the window").isFalse();
		// Room again once the first sends leave the window.
		assertThat(other.tryRecord(Duration.ofSeconds(2).toNanos())).isTrue();
	}

	@Test
	void aLowerLimitLearnedByOneReplicaHoldsForAll() {
		RedisSendWindow one = window(this.first, 5, Duration.ofSeconds(10));
		RedisSendWindow other = window(this.second, 5, Duration.ofSeconds(10));
		assertThat(one.tryRecord(0)).isTrue();
		// A new limit starts the count anew (the evenly spaced permits still hold).
		one.resize(2, Duration.ofSeconds(10));
		assertThat(other.tryRecord(0)).isTrue();
		assertThat(one.tryRecord(0)).isTrue();
		assertThat(other.tryRecord(0)).isFalse();
	}

	/** A window as the budget sets it up: sized before its first send. */
	private static RedisSendWindow window(SharedState state, int limit, Duration interval) {
		RedisSendWindow window = new RedisSendWindow(state);
		window.resize(limit, interval);
		return window;
	}

}
