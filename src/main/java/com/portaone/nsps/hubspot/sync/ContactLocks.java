package com.portaone.nsps.hubspot.sync;

import java.util.Collection;
import java.util.Set;

/**
 * Who may write a contact now. Within a process the dispatcher never has two writes for
 * one contact in flight; across replicas sharing Redis, a contact is locked for the
 * length of one write.
 */
interface ContactLocks {

	/**
	 * Locks the contacts for one write.
	 * @param contactKeys the contacts the write carries
	 * @param owner the write's id, the same for {@link #unlock}
	 * @return the contacts locked; those another replica is writing are left out
	 */
	Set<String> tryLock(Collection<String> contactKeys, long owner);

	/** Lets the contacts go once the write is over. */
	void unlock(Collection<String> contactKeys, long owner);

	/** The locks of one process: its dispatcher already keeps writes apart. */
	ContactLocks IN_PROCESS = new ContactLocks() {

		@Override
		public Set<String> tryLock(Collection<String> contactKeys, long owner) {
			return Set.copyOf(contactKeys);
		}

		@Override
		public void unlock(Collection<String> contactKeys, long owner) {
		}

	};

}
