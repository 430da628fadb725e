/**
 * The HTTP contract NSPS talks to: authentication, request limits, the event endpoint and
 * its JSON error answers.
 */
@NullMarked
package com.portaone.nsps.hubspot.inbound;

import org.jspecify.annotations.NullMarked;
