package com.portaone.nsps.hubspot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports missing settings as one clear line instead of a stack trace.
 */
class MissingSettingsFailureAnalyzer extends AbstractFailureAnalyzer<MissingSettingsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingSettingsException cause) {
		return new FailureAnalysis(cause.getMessage(), "See .env.example for every setting.", cause);
	}

}
