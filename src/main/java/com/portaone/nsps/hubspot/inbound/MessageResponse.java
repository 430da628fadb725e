package com.portaone.nsps.hubspot.inbound;

/**
 * The body of a successful answer.
 */
public record MessageResponse(String message) {

}
