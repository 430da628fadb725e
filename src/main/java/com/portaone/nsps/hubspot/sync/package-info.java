/**
 * The sync engine: writes each NSPS event's contact to HubSpot within the event's
 * deadline, one write per contact at a time, identified by the subscriber's
 * {@code i_account}, ordered per property and writing only what changed.
 * <p>
 * One event's path. A Tomcat request thread reads and maps the event and calls
 * {@link com.portaone.nsps.hubspot.sync.SyncEngine#submit}: one store read answers a
 * redelivery of a confirmed event at once and names the subscriber an email-only event
 * belongs to. {@code EventOutcomes} starts its timers and the {@code WriteDispatcher}
 * queues it; the request waits asynchronously. The dispatcher thread takes a permit of
 * the request budget, then up to 100 contacts whose claims are free and hands them to a
 * worker ({@code SyncRound}): {@code ContactPlanner} decides what each contact's events
 * write, {@code ContactWriter} sends batch updates (email changes, by record id) and
 * batch upserts through {@code HubSpotAttempts}, each confirmation is recorded in the
 * {@code ContactStore} before {@code EventOutcomes} answers 202. Contacts whose write
 * went unanswered stay claimed, in doubt, for the margin. {@code ARCHITECTURE.md} draws
 * it.
 */
@NullMarked
package com.portaone.nsps.hubspot.sync;

import org.jspecify.annotations.NullMarked;
