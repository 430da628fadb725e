/**
 * JSON logs: per-request context and masking of personal data.
 */
@NullMarked
package com.portaone.nsps.hubspot.logging;

import org.jspecify.annotations.NullMarked;
