package com.portaone.nsps.hubspot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged connector jar running as its own process, as operators run it: for tests
 * and benchmarks that need a real process (load, SIGTERM, SIGKILL).
 */
public final class ConnectorProcess implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final int port;

	private final Path log;

	private final String apiToken;

	private final Map<String, String> environment;

	/** The port /actuator listens on: the API port unless MANAGEMENT_PORT is set. */
	private final int actuatorPort;

	private Duration readyAfter = Duration.ZERO;

	private ConnectorProcess(Process process, Map<String, String> environment, int port, Path log, String apiToken,
			int actuatorPort) {
		this.environment = Map.copyOf(environment);
		this.process = process;
		this.port = port;
		this.log = log;
		this.apiToken = apiToken;
		this.actuatorPort = actuatorPort;
	}

	/**
	 * Starts {@code target/hubspot-contacts-connector-*.jar} and waits until
	 * {@code /health} answers.
	 * @param environment settings, as operators set them
	 * @param log where the connector's output goes
	 * @return the running connector
	 */
	public static ConnectorProcess start(Map<String, String> environment, Path log) throws Exception {
		return start(Launch.packaged(), environment, log, freePort());
	}

	/**
	 * Starts a given jar the given way, as a benchmark compares two builds.
	 * @param launch the jar, its JVM options and the directory it runs in
	 */
	public static ConnectorProcess start(Launch launch, Map<String, String> environment, Path log) throws Exception {
		return start(launch, environment, log, freePort());
	}

	/**
	 * Starts another connector on this one's port, as Kubernetes restarts a pod.
	 * @param log where the new process's output goes
	 */
	public ConnectorProcess restart(Path log) throws Exception {
		return start(Launch.packaged(), this.environment, log, this.port);
	}

	private static ConnectorProcess start(Launch launch, Map<String, String> environment, Path log, int port)
			throws Exception {
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m"));
		command.addAll(launch.javaOptions());
		// JVM options to compare, such as the JIT's: CONNECTOR_JAVA_OPTS of the test run.
		String options = System.getenv().getOrDefault("CONNECTOR_JAVA_OPTS", "").strip();
		if (!options.isEmpty()) {
			command.addAll(List.of(options.split("\\s+")));
		}
		command.addAll(List.of("-jar", launch.jar().toString()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toAbsolutePath().toFile())
			.directory(launch.directory().toFile());
		builder.environment().putAll(environment);
		builder.environment().put("PORT", Integer.toString(port));
		String managementPort = environment.getOrDefault("MANAGEMENT_PORT", "");
		long started = System.nanoTime();
		ConnectorProcess connector = new ConnectorProcess(endsWithThisJvm(builder.start()), environment, port, log,
				environment.getOrDefault("API_TOKEN", "").split(",")[0].strip(),
				managementPort.isEmpty() ? port : Integer.parseInt(managementPort));
		connector.awaitHealthy(Duration.ofSeconds(60));
		connector.readyAfter = Duration.ofNanos(System.nanoTime() - started);
		return connector;
	}

	/** From the start of the process to the first 200 of {@code /health}. */
	public Duration readyAfter() {
		return this.readyAfter;
	}

	/**
	 * How to run a connector: its jar, JVM options (such as a CDS archive) and working
	 * directory (a CDS archive holds the class path relative to it).
	 */
	public record Launch(Path jar, List<String> javaOptions, Path directory) {

		/**
		 * The jar {@code ./mvnw package} left in {@code target/}, run as the container
		 * image runs it: extracted, with a CDS archive from a training run (made once, in
		 * {@code target/cds}), which halves the time each start takes, when
		 * {@code it.cds} is true (the build's jar-level tests); as it is otherwise.
		 * {@code it.javaOptions} adds JVM options: the build runs its short-lived
		 * connectors with C1 alone, which costs less CPU than C2 compiling code that runs
		 * for seconds.
		 */
		public static Launch packaged() throws IOException {
			Path jar = ConnectorProcess.jar().toAbsolutePath();
			List<String> options = new ArrayList<>();
			String extra = System.getProperty("it.javaOptions", "").strip();
			if (!extra.isEmpty()) {
				options.addAll(List.of(extra.split("\\s+")));
			}
			if (!Boolean.getBoolean("it.cds")) {
				return new Launch(jar, options, Path.of("."));
			}
			Path directory = cdsDirectory(jar);
			options.addAll(List.of("-XX:SharedArchiveFile=app.jsa", "-Xshare:auto"));
			return new Launch(directory.resolve(jar.getFileName()), options, directory);
		}

		/** As {@code scripts/cds-archive.sh} and the Dockerfile make it. */
		private static synchronized Path cdsDirectory(Path jar) throws IOException {
			// The build's test JVMs run side by side: one makes the archive, the others
			// wait.
			try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(jar.resolveSibling("cds.lock"),
					java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
					java.nio.channels.FileLock held = lock.lock()) {
				return cdsDirectoryLocked(jar);
			}
		}

		private static Path cdsDirectoryLocked(Path jar) throws IOException {
			Path directory = jar.resolveSibling("cds").toAbsolutePath();
			Path archive = directory.resolve("app.jsa");
			if (Files.isRegularFile(archive)
					&& Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0) {
				return directory;
			}
			try {
				if (Files.exists(directory)) {
					try (Stream<Path> files = Files.walk(directory)) {
						for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
							Files.delete(file);
						}
					}
				}
				run(new ProcessBuilder(javaExecutable(), "-Djarmode=tools", "-jar", jar.toString(), "extract",
						"--destination", directory.toString()));
				ProcessBuilder training = new ProcessBuilder(javaExecutable(), "-XX:ArchiveClassesAtExit=app.jsa",
						"-Dspring.context.exit=onRefresh", "-jar", jar.getFileName().toString())
					.directory(directory.toFile());
				training.environment().putAll(Map.of("ACCESS_TOKEN", "training", "API_TOKEN", "training"));
				run(training);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
			if (!Files.isRegularFile(archive)) {
				throw new IllegalStateException("The training run made no CDS archive; see " + directory);
			}
			return directory;
		}

		private static void run(ProcessBuilder builder) throws IOException, InterruptedException {
			Path output = Files.createTempFile("cds-", ".log");
			Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
			if (!process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(builder.command() + " failed: " + Files.readString(output));
			}
			Files.delete(output);
		}

	}

	public int port() {
		return this.port;
	}

	/**
	 * A URI on the API port, or for /actuator on the management port when there is one.
	 */
	public URI uri(String path) {
		int target = path.startsWith("/actuator") ? this.actuatorPort : this.port;
		return URI.create("http://127.0.0.1:" + target + path);
	}

	/**
	 * A request with NSPS's token, which every path but the health probes needs.
	 * @param path path and query
	 */
	public HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(uri(path))
			.header("Authorization", "Bearer " + this.apiToken)
			.timeout(Duration.ofSeconds(30));
	}

	/**
	 * The value of one Actuator metric.
	 * @param nameAndTags such as {@code jvm.memory.used?tag=area:heap}
	 */
	public double metric(HttpClient http, String nameAndTags) throws IOException, InterruptedException {
		String body = http
			.send(request("/actuator/metrics/" + nameAndTags).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		return JSON.readTree(body).path("measurements").get(0).path("value").asDouble();
	}

	public long pid() {
		return this.process.pid();
	}

	public Path log() {
		return this.log;
	}

	/** SIGTERM, as Kubernetes stops a pod; waits for the exit. */
	public int stop(Duration timeout) throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
		return this.process.exitValue();
	}

	/** SIGKILL: the process gets no chance to finish anything. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly().waitFor();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			stop(Duration.ofSeconds(40));
		}
	}

	private void awaitHealthy(Duration timeout) throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		long end = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < end) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The connector exited at start: " + Files.readString(this.log));
			}
			try {
				HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri("/health")).build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(20);
		}
		this.process.destroyForcibly();
		throw new IllegalStateException("The connector did not become healthy within " + timeout);
	}

	private static Path jar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			List<Path> jars = files
				.filter((file) -> file.getFileName().toString().matches("hubspot-contacts-connector-.*\\.jar"))
				.toList();
			if (jars.size() != 1) {
				throw new IllegalStateException("Expected one packaged jar in target/, found " + jars
						+ "; run ./mvnw verify (or package) first");
			}
			return jars.get(0);
		}
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * A child that ends when this JVM is stopped (SIGTERM included), so that a stopped
	 * benchmark leaves no connector or sender running beside the next one.
	 */
	static Process endsWithThisJvm(Process child) {
		Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly));
		return child;
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
