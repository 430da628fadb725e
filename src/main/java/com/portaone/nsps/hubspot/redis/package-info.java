/**
 * The state replicas share, in Redis, when {@code REDIS_URL} is set: the connection, its
 * health, and the Redis adapters of the sync engine's store and locks and of the request
 * budget's schedule, pauses and send window. {@code SharedStateConfiguration} is the only
 * place that chooses between them and the in-process ones.
 */
@NullMarked
package com.portaone.nsps.hubspot.redis;

import org.jspecify.annotations.NullMarked;
