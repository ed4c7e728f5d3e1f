package io.courier.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway JVM this bench starts from the jar itself, with the flags
 * {@code bench/run.sh} gives its gateway (dev profile, its own key folder, the
 * per-address limits lifted for a load generator on loopback), extra JVM options (a CDS
 * archive, an AOT cache) and extra arguments. Knows when its process was started, so that
 * the time to liveness and to readiness (the management port's
 * {@code /actuator/health/liveness} and {@code /readiness} answering 200) can be told
 * from it. {@link #close} stops it (SIGTERM, SIGKILL after 20 s).
 */
final class GatewayProcess implements AutoCloseable {

	private static final Duration POLL = Duration.ofMillis(100);

	private final Process process;

	private final long startNanos;

	private final int managementPort;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private GatewayProcess(Process process, long startNanos, int managementPort, Path log) {
		this.process = process;
		this.startNanos = startNanos;
		this.managementPort = managementPort;
		this.log = log;
	}

	/**
	 * The command line: {@code java} (a JDK's, e.g. for an AOT cache), JVM options, the
	 * jar and the gateway's arguments as {@code bench/run.sh} gives them, then
	 * {@code extraArgs}.
	 */
	static List<String> command(String java, List<String> jvmOptions, Path jar, int port, int managementPort,
			Path keyDir, List<String> extraArgs) {
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString(), "--spring.profiles.active=dev", "--server.port=" + port,
				"--management.server.port=" + managementPort, "--courier.dev.key-dir=" + keyDir,
				// a load generator on loopback is one address with many sessions: lift
				// the per-address limits
				"--courier.limits.handshake-rate=100000", "--courier.limits.handshake-burst=100000"));
		command.addAll(extraArgs);
		return command;
	}

	/** This JVM's {@code java}. */
	static String thisJava() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * Words of a {@code --gateway-jvm-opts} / {@code --gateway-args} value (split at
	 * white space).
	 */
	static List<String> words(String value) {
		return value.isBlank() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
	}

	/** Starts {@code command}, its output appended to {@code log}. */
	static GatewayProcess start(List<String> command, int managementPort, Path log) throws IOException {
		Files.createDirectories(log.toAbsolutePath().getParent());
		long startNanos = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		return new GatewayProcess(process, startNanos, managementPort, log);
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * Waits until {@code /actuator/health/<group>} answers 200 and returns the seconds
	 * since the process was started; fails when the process exits or {@code timeout}
	 * passes.
	 */
	double awaitHealth(String group, Duration timeout) throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/" + group);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"the gateway exited (" + this.process.exitValue() + "); see " + this.log);
			}
			try {
				HttpResponse<Void> response = this.http.send(
						HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return (System.nanoTime() - this.startNanos) / 1e9;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(POLL.toMillis());
		}
		throw new IllegalStateException(
				"/actuator/health/" + group + " not UP within " + timeout.toSeconds() + " s; see " + this.log);
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

}
