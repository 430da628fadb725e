package com.portaone.nsps.hubspot.client;

/**
 * HubSpot's rolling window as this process sees it: its own recent sends, and what
 * HubSpot last said was left ({@code X-HubSpot-RateLimit-Remaining}).
 * <p>
 * Two checks hold a send back. Its own sends: no more than the window limit in any
 * interval. HubSpot's count, which is the truth (HubSpot counts arrivals, and other apps
 * may share the window): the remaining count of the latest answer, less the sends that
 * left after that request, plus those of this process's sends that have left HubSpot's
 * window since. Only own sends are credited, each one guard later than its send time,
 * since a request may arrive late; so the estimate errs on the low side. It is dropped
 * once HubSpot's window has rolled past everything that answer counted.
 * <p>
 * With replicas sharing the budget (Redis), the requests HubSpot counts beyond this
 * process's own are mostly the other replicas', already spaced by the shared schedule:
 * they are not taken for other apps' pace, and HubSpot's remaining count only holds sends
 * back as it runs out.
 * <p>
 * Send times are noted in order, under the budget's lock. Not thread-safe.
 */
final class SendWindow {

	/** How much later than its send time a request may reach HubSpot. */
	static final long ARRIVAL_GUARD_NANOS = 1_000_000_000L;

	/**
	 * Requests left in HubSpot's window that this process never uses up, on top of room
	 * for other apps' requests.
	 */
	static final int RESERVE = 1;

	private long[] sendTimes = new long[256];

	/** Sequence number of the oldest kept send; numbers start at 0 and only grow. */
	private long firstSequence;

	/** Sequence number the next send gets. */
	private long nextSequence;

	private int windowLimit;

	private long intervalNanos;

	private long observedSequence = -1;

	private int observedRemaining;

	/** Requests of other apps HubSpot had in its window at the latest answer. */
	private long othersAtObservation;

	private final boolean sharedByReplicas;

	SendWindow(int windowLimit, long intervalNanos) {
		this(windowLimit, intervalNanos, false);
	}

	/**
	 * @param sharedByReplicas whether other replicas send through the same shared budget
	 */
	SendWindow(int windowLimit, long intervalNanos, boolean sharedByReplicas) {
		this.windowLimit = windowLimit;
		this.intervalNanos = intervalNanos;
		this.sharedByReplicas = sharedByReplicas;
	}

	void resize(int windowLimit, long intervalNanos) {
		this.windowLimit = windowLimit;
		this.intervalNanos = intervalNanos;
	}

	int windowLimit() {
		return this.windowLimit;
	}

	/** Nanoseconds a send must wait from {@code now}; 0 when it may leave now. */
	long waitNanos(long now) {
		forget(now);
		return Math.max(ownWindowWait(now), hubSpotWindowWait(now));
	}

	/** Notes a send leaving {@code now}, no earlier than the last one noted. */
	long record(long now) {
		if (this.nextSequence - this.firstSequence == this.sendTimes.length) {
			long[] larger = new long[this.sendTimes.length * 2];
			for (long seq = this.firstSequence; seq < this.nextSequence; seq++) {
				larger[(int) Math.floorMod(seq, (long) larger.length)] = timeOf(seq);
			}
			this.sendTimes = larger;
		}
		long sequence = this.nextSequence++;
		this.sendTimes[index(sequence)] = now;
		return sequence;
	}

	/**
	 * HubSpot answered the send {@code sequence} with {@code remaining} requests left of
	 * {@code max} in its window; {@code max} may be unknown (0).
	 */
	void observed(long sequence, int remaining, int max) {
		if (sequence > this.observedSequence && sequence >= this.firstSequence && sequence < this.nextSequence) {
			this.observedSequence = sequence;
			this.observedRemaining = remaining;
			long observedAt = timeOf(sequence);
			long own = sequence + 1 - firstSentAfter(observedAt - this.intervalNanos);
			this.othersAtObservation = (max > 0 && !this.sharedByReplicas) ? Math.max(0, max - remaining - own) : 0;
		}
	}

	/** Drops what HubSpot last said was left. */
	void forgetObservation() {
		this.observedSequence = -1;
	}

	private long ownWindowWait(long now) {
		long blocking = this.nextSequence - this.windowLimit;
		if (blocking < this.firstSequence) {
			return 0;
		}
		long leavesAt = timeOf(blocking) + this.intervalNanos;
		return (leavesAt > now) ? leavesAt - now : 0;
	}

	private long hubSpotWindowWait(long now) {
		if (this.observedSequence < 0) {
			return 0;
		}
		long observedAt = timeOf(this.observedSequence);
		long lag = this.intervalNanos + ARRIVAL_GUARD_NANOS;
		if (now - observedAt >= lag) {
			this.observedSequence = -1;
			return 0;
		}
		// Own sends HubSpot had in its window when it answered, and of them those that
		// have surely left it by now.
		long counted = firstSentAfter(observedAt - this.intervalNanos);
		long credited = Math.min(firstSentAfter(now - lag), this.observedSequence + 1);
		long estimate = this.observedRemaining - (this.nextSequence - 1 - this.observedSequence)
				+ Math.max(0, credited - counted);
		// Other apps go on sending unseen until the next answer: leave room for what
		// they sent at their pace since this answer, and may send before this send
		// arrives.
		long othersSince = ceilDiv(this.othersAtObservation * (now - observedAt + ARRIVAL_GUARD_NANOS),
				this.intervalNanos);
		if (estimate - 1 >= RESERVE + othersSince) {
			return 0;
		}
		long nextCredit = (credited <= this.observedSequence) ? timeOf(Math.max(credited, counted)) + lag
				: observedAt + lag;
		return Math.max(1, nextCredit - now);
	}

	private static long ceilDiv(long dividend, long divisor) {
		return (dividend + divisor - 1) / divisor;
	}

	/** The first kept sequence number sent after {@code time}, or the next one. */
	private long firstSentAfter(long time) {
		long low = this.firstSequence;
		long high = this.nextSequence;
		while (low < high) {
			long middle = (low + high) >>> 1;
			if (timeOf(middle) - time > 0) {
				high = middle;
			}
			else {
				low = middle + 1;
			}
		}
		return low;
	}

	/**
	 * Drops sends too old to matter to either check; an answer about one of them has
	 * expired already.
	 */
	private void forget(long now) {
		long keep = this.intervalNanos * 2 + ARRIVAL_GUARD_NANOS;
		while (this.firstSequence < this.nextSequence && now - timeOf(this.firstSequence) > keep) {
			this.firstSequence++;
		}
		if (this.observedSequence < this.firstSequence) {
			this.observedSequence = -1;
		}
	}

	private long timeOf(long sequence) {
		return this.sendTimes[index(sequence)];
	}

	private int index(long sequence) {
		return (int) Math.floorMod(sequence, (long) this.sendTimes.length);
	}

}
