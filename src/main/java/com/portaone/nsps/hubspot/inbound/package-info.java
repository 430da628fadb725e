/**
 * The HTTP contract NSPS talks to: authentication, request limits, the event endpoint and
 * its JSON error answers. An event waiting for HubSpot holds no thread: its request is
 * asynchronous, and {@code EventAnswer} writes the answer from the thread that has the
 * outcome, once the request thread is out of the filters.
 */
@NullMarked
package com.portaone.nsps.hubspot.inbound;

import org.jspecify.annotations.NullMarked;
