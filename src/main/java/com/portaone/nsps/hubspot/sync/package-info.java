/**
 * The sync engine: upserts each event's contact within its deadline, one write per
 * contact at a time.
 */
@NullMarked
package com.portaone.nsps.hubspot.sync;

import org.jspecify.annotations.NullMarked;
