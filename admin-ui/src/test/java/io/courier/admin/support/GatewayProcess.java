package io.courier.admin.support;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A real gateway node in a child JVM, started from the jar the reactor built
 * ({@code app/target/courier-gateway-*.jar}, system property
 * {@code courier.gateway.jar}), in dev mode (it mints its own tokens and serves their
 * JWKS), on the test vhost, loopback, free ports.
 */
public final class GatewayProcess implements AutoCloseable {

	private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

	private final Process process;

	private final Path log;

	private final int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private GatewayProcess(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
	}

	public static GatewayProcess start(String nodeId) {
		Path jar = Path
			.of(System.getProperty("courier.gateway.jar", "../app/target/courier-gateway-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the gateway jar (build it with: mvn -pl admin-ui -am verify)").exists();
		String vhost = System.getenv().getOrDefault("COURIER_TEST_VHOST", "courier-test");
		try {
			Path work = Files.createTempDirectory("courier-gateway-" + nodeId);
			Path log = Path.of("target", "gateway-" + nodeId + ".log");
			Files.createDirectories(log.getParent());
			int port = freePort();
			int managementPort = freePort();
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
							jar.toAbsolutePath().toString(), "--spring.profiles.active=dev", "--server.port=" + port,
							"--server.address=127.0.0.1", "--management.server.port=" + managementPort,
							"--spring.rabbitmq.virtual-host=" + vhost, "--courier.relay.virtual-host=" + vhost,
							"--courier.node-id=" + nodeId, "--courier.dev.key-dir=" + work.resolve("dev"),
							"--courier.presence.heartbeat=1s", "--courier.warmup.enabled=false"));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			GatewayProcess gateway = new GatewayProcess(process, log, port);
			gateway.awaitReady(managementPort);
			return gateway;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	public String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	public String wsUrl() {
		return "ws://127.0.0.1:" + this.port + "/ws";
	}

	/** A dev token ({@code POST /dev/tokens}). */
	public String mint(String user, String orders, String scope) {
		HttpResponse<String> response = post(url("/dev/tokens?user=" + user + "&orders=" + orders + "&scope=" + scope),
				"", null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Matcher token = TOKEN.matcher(response.body());
		assertThat(token.find()).isTrue();
		return token.group(1);
	}

	/**
	 * Publishes an order event the way a backend does over HTTP; returns the status (202
	 * = confirmed).
	 */
	public int publishOrderEvent(String orderId, String userId, String status) {
		String token = mint("order-service", "", "orders:publish");
		String body = "{\"orderId\":\"" + orderId + "\",\"userId\":\"" + userId + "\",\"status\":\"" + status
				+ "\",\"at\":\"" + Instant.now() + "\"}";
		return post(url("/api/orders/" + orderId + "/events"), body, token).statusCode();
	}

	private HttpResponse<String> post(String url, String body, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Health is UP only while the relay reaches RabbitMQ; a gateway that exits fails at
	 * once.
	 */
	private void awaitReady(int managementPort) {
		HttpRequest health = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		try {
			await().atMost(90, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
				if (!this.process.isAlive()) {
					fail("the gateway exited during startup:\n" + tail());
				}
				try {
					HttpResponse<String> response = this.http.send(health, HttpResponse.BodyHandlers.ofString());
					return response.statusCode() == 200 && response.body().contains("\"status\":\"UP\"");
				}
				catch (IOException ex) {
					return false; // not listening yet
				}
			});
		}
		catch (ConditionTimeoutException ex) {
			close();
			fail("the gateway did not report UP within 90 s:\n" + tail());
		}
	}

	private String tail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
