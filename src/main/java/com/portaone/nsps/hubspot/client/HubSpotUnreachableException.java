package com.portaone.nsps.hubspot.client;

/**
 * HubSpot could not be reached, did not answer within the timeout, or its answer was cut
 * short.
 */
public class HubSpotUnreachableException extends RuntimeException {

	public HubSpotUnreachableException(String message, Throwable cause) {
		super(message, cause);
	}

}
