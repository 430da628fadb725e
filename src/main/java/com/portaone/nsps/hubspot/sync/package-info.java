/**
 * The sync engine: writes each event's contact to HubSpot within the event's deadline,
 * one write per contact at a time, ordered per property.
 * <p>
 * One event's path. A Tomcat request thread reads and maps the event and calls
 * {@link com.portaone.nsps.hubspot.sync.SyncEngine#submit}, which answers a redelivery of
 * a confirmed event at once; otherwise the event is queued with its deadline (a timer on
 * the {@code event-deadline} thread) and the request thread is released, the request
 * waiting asynchronously. The {@code hubspot-write-dispatcher} thread takes a permit of
 * the request budget, then up to 100 queued contacts (one in single mode) that have no
 * write in flight, with every event queued for each, and hands them to a
 * {@code hubspot-sync} worker. The worker plans each contact's write against the ordering
 * store ({@code WriteOrdering}: properties that a newer event has written already are
 * left out; events with nothing left to write are answered 202 there), sends it through
 * the permit with retries ({@code HubSpotAttempts}), and answers the events: 202 for the
 * contacts HubSpot's answer lists as written, after noting them in the ordering store;
 * the outcome of the failure otherwise ({@code SyncOutcomes}). Whichever comes first,
 * that worker or the deadline timer, answers the event; the other finds it answered. The
 * answer completes the request's future, and Tomcat writes the response on one of its
 * threads.
 */
@NullMarked
package com.portaone.nsps.hubspot.sync;

import org.jspecify.annotations.NullMarked;
