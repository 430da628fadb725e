package com.portaone.nsps.hubspot.client;

import java.time.Instant;

/**
 * What HubSpot told the connector to wait for: its rolling window after a ten-secondly
 * 429, its daily limit after a daily 429. Shared by every process that sends through the
 * same app: in the process, or in Redis ({@code redis.SharedStateConfiguration} chooses).
 */
public interface BudgetPauses {

	/** Until when no request should be sent: HubSpot's window is full. */
	Instant pausedUntil();

	/** Pauses sending until {@code until}, unless a longer pause is set. */
	void pauseUntil(Instant until);

	/** Until when HubSpot's daily limit cools down. */
	Instant cooldownUntil();

	/** Stops sending until {@code until}, unless a longer cool-down is set. */
	void coolDownUntil(Instant until);

	/** The pauses of one process. */
	static BudgetPauses inProcess() {
		return new LocalBudgetPauses();
	}

}
