/**
 * The connector's metrics, all named in one place so that dashboards and alerts have one
 * reference.
 */
@NullMarked
package com.portaone.nsps.hubspot.metrics;

import org.jspecify.annotations.NullMarked;
