/**
 * The state replicas share, in Redis, when {@code REDIS_URL} is set: the connection, its
 * health, and the failure every package turns a Redis outage into.
 */
@NullMarked
package com.portaone.nsps.hubspot.redis;

import org.jspecify.annotations.NullMarked;
