package com.portaone.nsps.hubspot.client;

import java.time.Duration;

/**
 * HubSpot's rolling window as the sends of all replicas fill it, checked right before a
 * request leaves, beside this process's own {@link SendWindow}. One process has nothing
 * to share ({@link #NONE}); replicas share one in Redis.
 */
public interface SharedSendWindow {

	/**
	 * Notes a send, waiting up to {@code maxWaitNanos} for room in the window.
	 * @return whether there was room
	 */
	boolean tryRecord(long maxWaitNanos);

	/** A new limit for all replicas. */
	void resize(int windowLimit, Duration interval);

	/** One process: its own window is the whole window. */
	SharedSendWindow NONE = new SharedSendWindow() {

		@Override
		public boolean tryRecord(long maxWaitNanos) {
			return true;
		}

		@Override
		public void resize(int windowLimit, Duration interval) {
		}

	};

}
