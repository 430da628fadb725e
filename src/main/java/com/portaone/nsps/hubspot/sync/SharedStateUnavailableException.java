package com.portaone.nsps.hubspot.sync;

/**
 * The state replicas share could not be read or written: Redis is unreachable or did not
 * answer in time. Events are then answered 503, never acknowledged on a guess.
 */
public class SharedStateUnavailableException extends RuntimeException {

	public SharedStateUnavailableException(Throwable cause) {
		super("The connector's shared state (Redis) is unreachable: " + cause.getMessage(), cause);
	}

}
