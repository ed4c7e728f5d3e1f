package io.courier.gateway.presence;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import io.courier.gateway.CourierApplication;
import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;
import io.courier.gateway.support.TestIdentityProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence across gateway nodes sharing the real RabbitMQ: nodes A and B in this JVM,
 * node C in a child JVM that the test kills with SIGKILL. Heart-beat 1 s, expiry after 3
 * missed.
 */
class PresenceIntegrationTests {

	private static final TestIdentityProvider idp = TestIdentityProvider.get();

	private static final Map<String, Object> NODE_PROPERTIES = Map.of("courier.presence.heartbeat", "1s",
			"courier.orders.consumer-enabled", false);

	private static final HttpClient http = HttpClient.newHttpClient();

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	@BeforeAll
	static void startNodes() {
		nodeA = GatewayNodes.start("presence-a", NODE_PROPERTIES);
		nodeB = GatewayNodes.start("presence-b", NODE_PROPERTIES);
	}

	@AfterAll
	static void stopNodes() {
		GatewayNodes.close(nodeA, nodeB);
	}

	@Test
	void joinOnNodeAIsSeenOnNodeBAndLeaveToo() throws Exception {
		Connection watcher = StompTestClient.connect(wsUrl(port(nodeB)), idp.token("watcher"));
		BlockingQueue<String> changes = watcher.subscribe("/topic/presence.alice");
		await().atMost(10, TimeUnit.SECONDS).until(() -> presence(nodeB, "watcher").contains("\"online\":true"));

		Connection tab1 = StompTestClient.connect(wsUrl(port(nodeA)), idp.token("alice"));
		Connection tab2 = StompTestClient.connect(wsUrl(port(nodeA)), idp.token("alice"));

		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(presence(nodeB, "alice")).contains("\"online\":true")
				.contains("\"sessions\":2")
				.contains("presence-a"));
		assertThat(changes.poll(10, TimeUnit.SECONDS)).contains("\"userId\":\"alice\"").contains("\"online\":true");

		tab1.disconnect();
		tab2.disconnect();

		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(presence(nodeB, "alice")).contains("\"online\":false"));
		assertThat(changes.poll(10, TimeUnit.SECONDS)).contains("\"online\":false");
		watcher.disconnect();
	}

	@Test
	void usersOfAKilledNodeGoOfflineWithinThreeHeartbeats() throws Exception {
		int portC;
		try (ServerSocket socket = new ServerSocket(0)) {
			portC = socket.getLocalPort();
		}
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), CourierApplication.class.getName()));
		command.addAll(List.of(GatewayNodes.args("presence-c", portC, NODE_PROPERTIES)));
		Process nodeC = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(File.createTempFile("presence-c", ".log"))
			.start();
		try {
			Connection watcher = StompTestClient.connect(wsUrl(port(nodeB)), idp.token("watcher2"));
			BlockingQueue<String> changes = watcher.subscribe("/topic/presence.carol");
			await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
				Connection carol = StompTestClient.connect(wsUrl(portC), idp.token("carol"));
				return carol.session().isConnected();
			});
			await().atMost(10, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(presence(nodeB, "carol")).contains("\"online\":true"));
			assertThat(changes.poll(10, TimeUnit.SECONDS)).contains("\"online\":true");

			nodeC.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			long killedAt = System.nanoTime();

			await().atMost(10, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(presence(nodeB, "carol")).contains("\"online\":false"));
			// expiry is 3 missed heart-beats (3 s), noticed on the next 1 s tick, plus
			// scheduling slack
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)).isLessThan(7_000);
			assertThat(changes.poll(10, TimeUnit.SECONDS)).contains("\"online\":false");
			assertThat(presence(nodeA, "carol")).contains("\"online\":false");
			watcher.disconnect();
		}
		finally {
			nodeC.destroyForcibly();
		}
	}

	private static String presence(ConfigurableApplicationContext node, String user) throws Exception {
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(node) + "/api/presence/" + user))
				.header("Authorization", "Bearer " + idp.token("ops"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static int port(ConfigurableApplicationContext node) {
		return GatewayNodes.port(node);
	}

	private static String wsUrl(int port) {
		return GatewayNodes.wsUrl(port);
	}

}
