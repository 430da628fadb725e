package com.portaone.nsps.hubspot.client;

/**
 * HubSpot's rolling window as this process sees it: its own recent sends, and what
 * HubSpot last said was left ({@code X-HubSpot-RateLimit-Remaining}).
 * <p>
 * Two checks hold a send back. Its own sends: no more than the window limit in any
 * interval. HubSpot's count, which is the truth (HubSpot counts arrivals, and other apps
 * may share the window): the remaining count of the latest answer, less the sends that
 * left after that request, plus those of this process's sends that HubSpot surely counted
 * then and that have surely left its window since. A request arrives at HubSpot no
 * earlier than it was sent and no later than its answer came back, or than the guard
 * after its send while it has none; every bound here follows from that, so the estimate
 * errs on the low side. It is dropped once HubSpot's window has rolled past everything
 * that answer counted.
 * <p>
 * Only what this process's own sends cannot explain is taken for other apps' requests: a
 * send that arrived a little late or early lands in another second of HubSpot's window
 * than its send time says, and is not another app.
 * <p>
 * With replicas sharing the budget (Redis), the requests HubSpot counts beyond this
 * process's own are mostly the other replicas', already spaced by the shared schedule:
 * they are not taken for other apps' pace, and HubSpot's remaining count only holds sends
 * back as it runs out.
 * <p>
 * Send and answer times are noted under the budget's lock, sends in order. Not
 * thread-safe.
 */
final class SendWindow {

	/** How much later than its send time a request may reach HubSpot. */
	static final long ARRIVAL_GUARD_NANOS = 1_000_000_000L;

	/**
	 * Requests left in HubSpot's window that this process never uses up, on top of room
	 * for other apps' requests.
	 */
	static final int RESERVE = 1;

	/**
	 * The longest a held-back send waits before it looks again: a newer answer may show
	 * room before the wait is over.
	 */
	static final long RECHECK_NANOS = 10_000_000L;

	/** An answer time not known yet. */
	private static final long UNANSWERED = Long.MIN_VALUE;

	private long[] sendTimes = new long[256];

	/** When each send's answer came back, {@link #UNANSWERED} until it has. */
	private long[] answerTimes = new long[256];

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

	/**
	 * Nanoseconds a send must wait from {@code now} at most, until room is sure; 0 when
	 * it may leave now.
	 */
	long waitNanos(long now) {
		forget(now);
		return Math.max(ownWindowWait(now), hubSpotWindowWait(now));
	}

	/** How long a send held back for {@code waitNanos} parks before it looks again. */
	static long lookAgainAfter(long waitNanos) {
		return Math.min(waitNanos, RECHECK_NANOS);
	}

	/** Notes a send leaving {@code now}, no earlier than the last one noted. */
	long record(long now) {
		if (this.nextSequence - this.firstSequence == this.sendTimes.length) {
			long[] sends = new long[this.sendTimes.length * 2];
			long[] answers = new long[sends.length];
			for (long seq = this.firstSequence; seq < this.nextSequence; seq++) {
				int at = (int) Math.floorMod(seq, (long) sends.length);
				sends[at] = timeOf(seq);
				answers[at] = this.answerTimes[index(seq)];
			}
			this.sendTimes = sends;
			this.answerTimes = answers;
		}
		long sequence = this.nextSequence++;
		this.sendTimes[index(sequence)] = now;
		this.answerTimes[index(sequence)] = UNANSWERED;
		return sequence;
	}

	/** HubSpot's answer to the send {@code sequence} came back {@code at}. */
	void answered(long sequence, long at) {
		if (kept(sequence) && this.answerTimes[index(sequence)] == UNANSWERED) {
			this.answerTimes[index(sequence)] = at;
		}
	}

	/**
	 * HubSpot answered the send {@code sequence} with {@code remaining} requests left of
	 * {@code max} in its window; {@code max} may be unknown (0). Its answer time, when
	 * noted first, narrows when HubSpot counted it.
	 */
	void observed(long sequence, int remaining, int max) {
		if (sequence > this.observedSequence && kept(sequence)) {
			this.observedSequence = sequence;
			this.observedRemaining = remaining;
			this.othersAtObservation = (max > 0 && !this.sharedByReplicas)
					? Math.max(0, max - remaining - ownPossiblyCounted(sequence)) : 0;
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
		long countedUntil = latestArrival(this.observedSequence);
		if (now - countedUntil >= this.intervalNanos) {
			this.observedSequence = -1;
			return 0;
		}
		// Own sends HubSpot surely had in its window when it answered, and of them those
		// that have surely left it by now; the next of them to leave.
		long credited = 0;
		long nextCredit = countedUntil + this.intervalNanos;
		for (long seq = firstSentAfter(countedUntil - this.intervalNanos); seq <= this.observedSequence; seq++) {
			long leaves = latestArrival(seq) + this.intervalNanos;
			if (leaves - now <= 0) {
				credited++;
			}
			else if (leaves - nextCredit < 0) {
				nextCredit = leaves;
			}
		}
		long estimate = this.observedRemaining - (this.nextSequence - 1 - this.observedSequence) + credited;
		// Other apps go on sending unseen until the next answer: leave room for what
		// they sent at their pace since this answer, and may send before this send
		// arrives.
		long othersSince = ceilDiv(this.othersAtObservation * (now - observedAt + ARRIVAL_GUARD_NANOS),
				this.intervalNanos);
		if (estimate - 1 >= RESERVE + othersSince) {
			return 0;
		}
		return Math.max(1, nextCredit - now);
	}

	/**
	 * Own sends HubSpot may have counted at the arrival of {@code sequence}: those that
	 * may have arrived within the interval before it, whichever side of it they were
	 * sent.
	 */
	private long ownPossiblyCounted(long sequence) {
		long from = timeOf(sequence) - this.intervalNanos;
		long until = latestArrival(sequence);
		long count = 0;
		for (long seq = firstSentAfter(from - ARRIVAL_GUARD_NANOS); seq < this.nextSequence
				&& timeOf(seq) - until <= 0; seq++) {
			if (latestArrival(seq) - from > 0) {
				count++;
			}
		}
		return count;
	}

	/**
	 * The latest a send reached HubSpot: when its answer came back, and at most the guard
	 * after it left.
	 */
	private long latestArrival(long sequence) {
		long guarded = timeOf(sequence) + ARRIVAL_GUARD_NANOS;
		long answered = this.answerTimes[index(sequence)];
		return (answered != UNANSWERED && answered - guarded < 0) ? answered : guarded;
	}

	private boolean kept(long sequence) {
		return sequence >= this.firstSequence && sequence < this.nextSequence;
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
		// An answer is kept until its latest arrival is an interval old; its checks look
		// back one interval and the guard before its send.
		long keep = this.intervalNanos * 2 + 2 * ARRIVAL_GUARD_NANOS;
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
