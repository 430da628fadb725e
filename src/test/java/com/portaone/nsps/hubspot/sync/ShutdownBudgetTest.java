package com.portaone.nsps.hubspot.sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shutdown steps add up to less than Kubernetes' grace period in every manifest: the
 * pre-stop pause, the web server's drain ({@code SHUTDOWN_GRACE_SECONDS}) and the sync
 * engine's last wait, so that SIGKILL never cuts a drain short.
 */
class ShutdownBudgetTest {

	private static final Pattern GRACE = Pattern.compile("terminationGracePeriodSeconds:\\s*(\\d+)");

	private static final Pattern PRE_STOP = Pattern.compile("command:\\s*\\[\"sleep\",\\s*\"(\\d+)\"\\]");

	private static final Pattern DRAIN = Pattern
		.compile("name:\\s*SHUTDOWN_GRACE_SECONDS\\s*\\n\\s*value:\\s*\"(\\d+)\"");

	@Test
	void theDrainFitsTheGracePeriod() throws Exception {
		try (var manifests = Files.walk(Path.of("deploy/k8s"))) {
			for (Path manifest : manifests.filter((path) -> path.toString().endsWith("deployment.yaml")).toList()) {
				String yaml = Files.readString(manifest);
				long grace = number(GRACE, yaml, manifest);
				long steps = number(PRE_STOP, yaml, manifest) + number(DRAIN, yaml, manifest)
						+ WriteDispatcher.SHUTDOWN_WAIT.toSeconds();
				assertThat(steps).as("%s: pre-stop + drain + sync engine's wait", manifest).isLessThan(grace);
			}
		}
	}

	private static long number(Pattern pattern, String yaml, Path manifest) {
		Matcher matcher = pattern.matcher(yaml);
		assertThat(matcher.find()).as("%s has %s", manifest, pattern).isTrue();
		return Long.parseLong(matcher.group(1));
	}

}
