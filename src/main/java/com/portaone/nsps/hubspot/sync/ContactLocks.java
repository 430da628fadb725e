package com.portaone.nsps.hubspot.sync;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * Who may write a contact now, across replicas. Within a process the
 * {@link WriteDispatcher} never has two writes of one claim in flight, nor one while a
 * claim is in doubt; with replicas sharing Redis, each write also locks its claims there
 * for its length, and a claim in doubt stays out of every replica's reach until HubSpot
 * can no longer apply the doubtful request. {@code redis.SharedStateConfiguration}
 * chooses.
 */
public interface ContactLocks {

	/**
	 * Locks each contact's claims for one write, all of a contact's or none. A lock this
	 * replica still holds for an ended write (its unlock lost) is taken over: the
	 * dispatcher never runs two writes of one claim.
	 * @param claims per contact, its key and its emails
	 * @param owner the write's id, the same for {@link #unlock}
	 * @return per contact, zero when it is locked for this write, else how long it is
	 * busy elsewhere
	 */
	List<Duration> tryLock(List<List<String>> claims, long owner);

	/**
	 * Lets the contacts go once the write is over.
	 * @param claims per contact, as locked
	 * @param owner the write's id
	 * @param inDoubtFor per contact, how long HubSpot may still apply a request of the
	 * write (zero when none)
	 */
	void unlock(List<List<String>> claims, long owner, List<Duration> inDoubtFor);

	/** One process: its dispatcher keeps writes apart by itself. */
	ContactLocks IN_PROCESS = new ContactLocks() {

		@Override
		public List<Duration> tryLock(List<List<String>> claims, long owner) {
			return Collections.nCopies(claims.size(), Duration.ZERO);
		}

		@Override
		public void unlock(List<List<String>> claims, long owner, List<Duration> inDoubtFor) {
		}

	};

}
