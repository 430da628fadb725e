package com.portaone.nsps.hubspot.inbound;

/**
 * The body of a successful answer.
 */
record MessageResponse(String message) {

}
