package com.portaone.nsps.hubspot.client;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** The budget's pauses, kept in this process. */
final class LocalBudgetPauses implements BudgetPauses {

	private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);

	private final AtomicReference<Instant> cooldownUntil = new AtomicReference<>(Instant.MIN);

	@Override
	public Instant pausedUntil() {
		return this.pausedUntil.get();
	}

	@Override
	public void pauseUntil(Instant until) {
		this.pausedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
	}

	@Override
	public Instant cooldownUntil() {
		return this.cooldownUntil.get();
	}

	@Override
	public void coolDownUntil(Instant until) {
		this.cooldownUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
	}

}
