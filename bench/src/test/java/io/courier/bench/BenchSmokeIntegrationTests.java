package io.courier.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every scenario end to end with tiny numbers, against a dev Courier gateway this test
 * starts from {@code ../app/target/courier-gateway-*.jar} on a free port (its own key
 * folder), RabbitMQ Web-STOMP (the broker that {@code rabbitmq/setup.sh} runs) and the
 * floor server. Asserts only that each target produced a RESULT with something delivered
 * and no errors: timings on a shared 2-core box are not a test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchSmokeIntegrationTests {

	private static final Pattern RESULT = Pattern.compile("(?m)^RESULT (\\{.*\\})$");

	private Path keyDir;

	private Process gateway;

	private int port;

	@BeforeAll
	void startGateway() throws Exception {
		this.keyDir = Files.createTempDirectory("courier-bench-keys");
		Path jar = Path
			.of(System.getProperty("courier.gateway.jar", "../app/target/courier-gateway-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the gateway jar (the reactor builds app before bench)").exists();
		this.port = freePort();
		int managementPort = freePort();
		Path log = Files.createTempFile("courier-bench-gateway", ".log");
		this.gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				jar.toString(), "--spring.profiles.active=dev", "--server.port=" + this.port,
				"--management.server.port=" + managementPort, "--courier.dev.key-dir=" + this.keyDir,
				// a load generator on loopback is one address with many sessions: lift
				// the per-address limits
				"--courier.limits.handshake-rate=100000", "--courier.limits.handshake-burst=100000",
				"--courier.limits.sessions-per-user=100000",
				// the smoke runs measure nothing: no warm-up (WarmupIntegrationTests
				// covers it)
				"--courier.warmup.enabled=false")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		HttpClient http = HttpClient.newHttpClient();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			if (!this.gateway.isAlive()) {
				fail("gateway exited: " + Files.readString(log));
			}
			try {
				HttpResponse<String> health = http
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health"))
						.timeout(Duration.ofSeconds(2))
						.build(), HttpResponse.BodyHandlers.ofString());
				// UP only once the relay reached RabbitMQ (health indicator "relay")
				if (health.statusCode() == 200 && Files.exists(this.keyDir.resolve("private.pem"))) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		fail("gateway not healthy within 60 s: " + Files.readString(log));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@AfterAll
	void stopGateway() throws Exception {
		if (this.gateway != null) {
			this.gateway.destroy();
			if (!this.gateway.waitFor(20, TimeUnit.SECONDS)) {
				this.gateway.destroyForcibly();
			}
		}
		if (this.keyDir != null) {
			try (var files = Files.list(this.keyDir)) {
				files.forEach((f) -> f.toFile().delete());
			}
			Files.deleteIfExists(this.keyDir);
		}
	}

	@Test
	void fanoutDeliversOnCourierDirectAndFloor() throws Exception {
		String output = run("fanout", "--subscribers", "5", "--rate", "20", "--duration", "2");
		assertEveryTargetDelivered(output, "fanout", "courier", "direct", "floor");
		// the gateway's CPU, and the part of it its JIT compiler threads spent: only
		// Courier has a gateway
		String courier = results(output).get(0);
		assertThat(decimal(courier, "cpu_us_per_delivery_gateway_jit")).as(courier)
			.isNotNegative()
			.isLessThanOrEqualTo(decimal(courier, "cpu_us_per_delivery_gateway"));
		assertThat(results(output).get(1)).contains("\"cpu_us_per_delivery_gateway_jit\":null");
		// the floor server's own thread, measured on the floor only
		String floor = results(output).get(2);
		assertThat(decimal(floor, "cpu_us_per_delivery_floor_server")).as(floor)
			.isNotNegative()
			.isLessThanOrEqualTo(decimal(floor, "cpu_us_per_delivery_loadgen"));
		assertThat(courier).doesNotContain("floor_server");
	}

	@Test
	void coldFanoutStartsAFreshGatewayAndReportsWindowsAndStartToReady() throws Exception {
		Path logDir = Files.createTempDirectory("courier-bench-cold");
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);
		new Bench(out).run("fanout", "--cold", "--subscribers", "3", "--rate", "20", "--duration", "2", "--window", "1",
				"--bench-warmup", "0", "--courier-url", "ws://127.0.0.1:" + freePort() + "/ws", "--management-port",
				Integer.toString(freePort()), "--key-dir", this.keyDir.toString(), "--log-dir", logDir.toString(),
				"--gateway-jar",
				System.getProperty("courier.gateway.jar", "../app/target/courier-gateway-0.1.0-SNAPSHOT.jar"),
				"--gateway-args=--courier.warmup.messages=100 --courier.warmup.timeout=5s");
		String output = captured.toString(StandardCharsets.UTF_8);
		assertEveryTargetDelivered(output, "fanout", "courier", "direct");
		String courier = results(output).get(0);
		assertThat(decimal(courier, "start_to_ready_s")).as(courier)
			.isPositive()
			.isGreaterThanOrEqualTo(decimal(courier, "start_to_live_s"));
		assertThat(courier).contains("\"p99_ms_0_1s\":", "\"cpu_us_per_delivery_gateway_1_2s\":");
		assertThat(results(output).get(1)).doesNotContain("start_to_ready_s").contains("\"p99_ms_1_2s\":");
	}

	@Test
	void idleConnectionsStayUpOnCourierAndDirect() throws Exception {
		assertEveryTargetDelivered(run("connections", "--sessions", "5", "--hold", "2"), "connections", "courier",
				"direct");
	}

	@Test
	void connectStormConnectsEverySessionOnCourierAndDirect() throws Exception {
		assertEveryTargetDelivered(run("connect-storm", "--sessions", "5", "--concurrency", "2"), "connect-storm",
				"courier", "direct");
	}

	@Test
	void orderEventsReachTheirOwnersOnCourierAndDirect() throws Exception {
		assertEveryTargetDelivered(run("order-e2e", "--users", "5", "--events", "20", "--rate", "20"), "order-e2e",
				"courier", "direct");
	}

	@Test
	void requestsReachTheBackendAndEveryReplyComesBackOnCourierAndDirect() throws Exception {
		String output = run("upstream", "--users", "4", "--requests", "40", "--rate", "40");
		assertEveryTargetDelivered(output, "upstream", "courier", "direct");
		for (String json : results(output)) {
			assertThat(number(json, "delivered")).as(json).isEqualTo(40);
			assertThat(number(json, "lost")).as(json).isZero();
		}
	}

	@Test
	void sseFanoutDeliversEverythingOverSseAndTheSameLoadOverWebStomp() throws Exception {
		String output = run("sse-fanout", "--subscribers", "5", "--rate", "20", "--duration", "2");
		assertEveryTargetDelivered(output, "sse-fanout", "courier", "direct");
		List<String> results = results(output);
		assertThat(results.get(0)).contains("\"transport\":\"sse\"");
		assertThat(number(results.get(0), "lost")).as(results.get(0)).isZero();
		assertThat(number(results.get(0), "delivered")).as(results.get(0)).isEqualTo(5 * 40);
		assertThat(results.get(1)).contains("\"transport\":\"web-stomp\"");
	}

	@Test
	void warmupSetsRunTheWarmUpOnNewSessionsEachTimeAndReportNothingFromIt() throws Exception {
		String output = run("fanout", "--subscribers", "3", "--rate", "20", "--duration", "1", "--warmup", "1",
				"--warmup-sets", "2");
		for (String target : List.of("courier", "direct", "floor")) {
			assertThat(output).contains("warm-up 1 of 2 on " + target + ": delivered 60 of 60",
					"warm-up 2 of 2 on " + target + ": delivered 60 of 60");
		}
		assertThat(output).contains("after 2 warm-ups of 1 s, new sessions each");
		assertThat(output.indexOf("warm-up 2 of 2 on floor")).isLessThan(output.indexOf("RESULT"));
		// only the measured runs are reported
		assertThat(results(output)).as(output)
			.hasSize(3)
			.allSatisfy((json) -> assertThat(number(json, "delivered")).isEqualTo(3 * 20));
	}

	@Test
	void roundsAlternateTheTargetsAndEndWithTheMedians() throws Exception {
		String output = run("connect-storm", "--sessions", "3", "--concurrency", "2", "--warmup", "2", "--rounds", "2");
		List<String> results = results(output);
		assertThat(results).as(output).hasSize(6);
		List<String> targets = results.stream()
			.map((json) -> json.replaceAll(".*\"target\":\"([a-z]+)\".*", "$1"))
			.toList();
		// round 1: courier, direct; round 2 the other way round; then one median per
		// target
		assertThat(targets).containsExactly("courier", "direct", "direct", "courier", "courier", "direct");
		assertThat(results.subList(0, 4)).allSatisfy((json) -> assertThat(json).contains("\"round\":"));
		assertThat(results.subList(4, 6)).allSatisfy((json) -> {
			assertThat(json).contains("\"rounds\":2");
			assertThat(number(json, "errors")).isZero();
		});
		assertThat(output).contains("after a warm-up of 2 sessions", "median of 2 rounds");
	}

	private String run(String scenario, String... args) throws Exception {
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(new Tee(captured, System.out), true, StandardCharsets.UTF_8);
		List<String> all = new java.util.ArrayList<>(List.of(scenario));
		all.addAll(List.of(args));
		all.addAll(List.of("--target", "all", "--courier-url", "ws://127.0.0.1:" + this.port + "/ws", "--key-dir",
				this.keyDir.toString(), "--gateway-pid", Long.toString(this.gateway.pid())));
		new Bench(out).run(all.toArray(String[]::new));
		return captured.toString(StandardCharsets.UTF_8);
	}

	private static List<String> results(String output) {
		Matcher m = RESULT.matcher(output);
		List<String> results = new java.util.ArrayList<>();
		while (m.find()) {
			results.add(m.group(1));
		}
		return results;
	}

	private static void assertEveryTargetDelivered(String output, String scenario, String... targets) {
		List<String> results = results(output);
		assertThat(results).as(output).hasSize(targets.length);
		for (int i = 0; i < targets.length; i++) {
			String json = results.get(i);
			assertThat(json).contains("\"scenario\":\"" + scenario + "\"", "\"target\":\"" + targets[i] + "\"");
			assertThat(number(json, "delivered")).as(json).isPositive();
			assertThat(number(json, "errors")).as(json).isZero();
		}
	}

	private static double decimal(String json, String field) {
		Matcher m = Pattern.compile("\"" + field + "\":(-?[\\d.]+)").matcher(json);
		assertThat(m.find()).as(field + " in " + json).isTrue();
		return Double.parseDouble(m.group(1));
	}

	private static long number(String json, String field) {
		Matcher m = Pattern.compile("\"" + field + "\":(-?\\d+)").matcher(json);
		assertThat(m.find()).as(field + " in " + json).isTrue();
		return Long.parseLong(m.group(1));
	}

	private static final class Tee extends OutputStream {

		private final OutputStream a;

		private final OutputStream b;

		Tee(OutputStream a, OutputStream b) {
			this.a = a;
			this.b = b;
		}

		@Override
		public void write(int c) throws IOException {
			this.a.write(c);
			this.b.write(c);
		}

		@Override
		public void write(byte[] bytes, int off, int len) throws IOException {
			this.a.write(bytes, off, len);
			this.b.write(bytes, off, len);
		}

	}

}
