package com.portaone.nsps.hubspot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes variant with several replicas: more than one pod, all sharing Redis, a
 * disruption budget that still lets a node drain, spread over nodes, and a rollout that
 * never leaves NSPS without a ready pod.
 */
class ReplicaManifestsTest {

	private static final Path REPLICAS = Path.of("deploy/k8s/replicas");

	@Test
	void theOverlayBuildsOnTheSingleReplicaManifests() throws IOException {
		Map<String, Object> kustomization = yaml(REPLICAS.resolve("kustomization.yaml"));
		assertThat(list(kustomization, "resources")).contains("../single", "pdb.yaml");
		assertThat(Files.exists(REPLICAS.resolve("../single/deployment.yaml"))).isTrue();
		assertThat(list(kustomization, "patches")).extracting((patch) -> (Object) ((Map<?, ?>) patch).get("path"))
			.containsExactly("deployment-patch.yaml");
	}

	@Test
	void severalReplicasShareRedisAndSpreadOverNodes() throws IOException {
		Map<String, Object> spec = map(yaml(REPLICAS.resolve("deployment-patch.yaml")), "spec");
		assertThat((Integer) spec.get("replicas")).isGreaterThanOrEqualTo(2);
		Map<String, Object> rollout = map(map(spec, "strategy"), "rollingUpdate");
		assertThat(rollout).containsEntry("maxUnavailable", 0);
		Map<String, Object> pod = map(map(spec, "template"), "spec");
		assertThat(list(pod, "topologySpreadConstraints"))
			.extracting((constraint) -> (Object) ((Map<?, ?>) constraint).get("topologyKey"))
			.contains("kubernetes.io/hostname");
		Map<?, ?> container = (Map<?, ?>) list(pod, "containers").get(0);
		Map<?, ?> redisUrl = ((List<?>) container.get("env")).stream()
			.map((variable) -> (Map<?, ?>) variable)
			.filter((variable) -> "REDIS_URL".equals(variable.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(redisUrl.get("value")).as("REDIS_URL holds a password: never a plain value").isNull();
		assertThat(((Map<?, ?>) redisUrl.get("valueFrom")).get("secretKeyRef")).isNotNull();
	}

	@Test
	void theDisruptionBudgetLetsANodeDrainOnePodAtATime() throws IOException {
		int replicas = (Integer) map(yaml(REPLICAS.resolve("deployment-patch.yaml")), "spec").get("replicas");
		Map<String, Object> pdb = yaml(REPLICAS.resolve("pdb.yaml"));
		assertThat(pdb).containsEntry("kind", "PodDisruptionBudget");
		int minAvailable = (Integer) map(pdb, "spec").get("minAvailable");
		assertThat(minAvailable).isPositive().isLessThan(replicas);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> yaml(Path file) throws IOException {
		return (Map<String, Object>) new Yaml().load(Files.readString(file));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		return (Map<String, Object>) parent.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Map<String, Object> parent, String key) {
		return (List<Object>) parent.get(key);
	}

}
