package io.courier.gateway.limits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import io.courier.gateway.presence.Presence;
import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.RabbitBroker;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;
import io.courier.gateway.support.TestIdentityProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Limits changed at runtime as the console does it: a {@code limits.changed} document
 * published on {@code courier.cluster}, kept in the {@code courier.limits} stream. Two
 * nodes apply it within a second, to existing sessions too; a restarted node reads it
 * back. The stream is deleted before and after, so that other test classes start from
 * their properties.
 */
@ExtendWith(OutputCaptureExtension.class)
class RuntimeLimitsIntegrationTests {

	private static final TestIdentityProvider idp = TestIdentityProvider.get();

	private static final Map<String, Object> NODE_PROPERTIES = Map.of("courier.orders.consumer-enabled", false);

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	private static ClusterTap console;

	/**
	 * Above any version a previous run may have left, should its clean-up have failed.
	 */
	private static long version = System.currentTimeMillis();

	@BeforeAll
	static void startNodes() {
		RabbitBroker.deleteQueue(LimitsStreamConfiguration.STREAM);
		nodeA = GatewayNodes.start("limits-a", NODE_PROPERTIES);
		nodeB = GatewayNodes.start("limits-b", NODE_PROPERTIES);
		console = ClusterTap.open();
	}

	@AfterAll
	static void stopNodes() {
		GatewayNodes.close(nodeA, nodeB);
		if (console != null) {
			console.close();
		}
		RabbitBroker.deleteQueue(LimitsStreamConfiguration.STREAM);
	}

	@AfterEach
	void relaxLimits() {
		publish(++version, "{\"frameRate\":50,\"frameBurst\":100,\"sessionsPerUser\":20}", "{}");
		awaitVersion(version, nodeA, nodeB);
	}

	@Test
	void changeReachesBothNodesWithinASecondAndExistingSessions() throws Exception {
		Connection early = StompTestClient.connect(wsUrl(nodeA), idp.token("alice"));
		long v = ++version;

		publish(v, "{\"frameRate\":2,\"frameBurst\":2,\"sessionsPerUser\":20,\"handshakeRate\":20,"
				+ "\"handshakeBurst\":40}", "{\"carol\":{\"frameRate\":100,\"frameBurst\":100}}");
		awaitVersion(v, nodeA, nodeB);

		assertRateLimited(early, 2, "rate limit exceeded: 2.0 frames/s, burst 2");
		assertRateLimited(StompTestClient.connect(wsUrl(nodeB), idp.token("bob")), 2,
				"rate limit exceeded: 2.0 frames/s, burst 2");
		Connection carol = StompTestClient.connect(wsUrl(nodeB), idp.token("carol"));
		for (int i = 0; i < 5; i++) {
			carol.send("/app/noop", "within her own limit " + i);
		}
		BlockingQueue<String> news = carol.subscribe("/topic/public.runtime-limits");
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			console.publish("amq.topic", "public.runtime-limits", "still connected");
			assertThat(news.poll(300, TimeUnit.MILLISECONDS)).isEqualTo("still connected");
		});
		assertThat(carol.isClosed()).isFalse();
		carol.disconnect();

		String port = nodeA.getEnvironment().getProperty("local.management.port");
		HttpResponse<String> inForce = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/courierlimits")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(inForce.body()).contains("\"version\":" + v, "\"changedBy\":\"test-console\"", "\"frameRate\":2.0",
				"\"carol\":{\"frameRate\":100.0,\"frameBurst\":100}", "\"frameSizeBytes\":65536");
	}

	@Test
	void sessionsPerUserChangeAppliesToTheNextConnect() throws Exception {
		long v = ++version;
		publish(v, "{\"sessionsPerUser\":1}", "{}");
		awaitVersion(v, nodeA, nodeB);

		Connection first = StompTestClient.connect(wsUrl(nodeA), idp.token("dave"));
		await().atMost(5, TimeUnit.SECONDS).until(() -> nodeB.getBean(Presence.class).sessionCount("dave") == 1);
		Connection second = StompTestClient.open(wsUrl(nodeB), idp.token("dave"));

		assertThat(second.awaitError()).isEqualTo("too many sessions: limit 1 per user");
		first.disconnect();
	}

	@Test
	void invalidDocumentIsRefusedNamingTheFieldAndTheLimitsInForceStay(CapturedOutput output) throws Exception {
		long valid = ++version;
		long invalid = valid + 10;
		version = invalid;
		// 0.05 frames/s: above 0, but below the contract's 0.1 (LimitsDocument.Rate)
		publish(invalid, "{\"frameRate\":0.05,\"frameBurst\":0}", "{\"erin\":{\"sessionsPerUser\":0}}");
		publish(valid, "{\"frameRate\":3,\"frameBurst\":3}", "{}");

		awaitVersion(valid, nodeA, nodeB);
		assertThat(output).contains("Refusing limits version " + invalid + " by test-console: "
				+ "limits.frameBurst must be between 1 and 100000, was 0; "
				+ "limits.frameRate must be between 0.1 and 10000, was 0.05; "
				+ "overrides.erin.sessionsPerUser must be between 1 and 10000, was 0");
		assertRateLimited(StompTestClient.connect(wsUrl(nodeA), idp.token("frank")), 3,
				"rate limit exceeded: 3.0 frames/s, burst 3");
	}

	@Test
	void restartedNodeReadsTheLastChangeBackFromTheStream() throws Exception {
		long v = ++version;
		publish(v, "{\"frameRate\":2,\"frameBurst\":2}", "{}");
		awaitVersion(v, nodeA, nodeB);

		nodeB.close();
		nodeB = GatewayNodes.start("limits-b", NODE_PROPERTIES);

		awaitVersion(5, v, nodeB);
		assertRateLimited(StompTestClient.connect(wsUrl(nodeB), idp.token("grace")), 2,
				"rate limit exceeded: 2.0 frames/s, burst 2");
	}

	/**
	 * Quick SENDs, one more than the burst: the last gets {@code error} and the session
	 * closes.
	 */
	private static void assertRateLimited(Connection connection, int burst, String error) throws InterruptedException {
		for (int i = 0; i <= burst; i++) {
			connection.send("/app/noop", "quick " + i);
		}
		assertThat(connection.awaitError()).isEqualTo(error);
		assertThat(connection.awaitClosed()).isTrue();
	}

	private static void publish(long version, String limits, String overrides) {
		console.publish("limits.changed",
				"{\"type\":\"limits.changed\",\"version\":" + version
						+ ",\"at\":\"2026-11-24T10:00:00Z\",\"changedBy\":\"test-console\",\"limits\":" + limits
						+ ",\"overrides\":" + overrides + "}");
	}

	/** Applied within a second of publishing, on every node given. */
	private static void awaitVersion(long version, ConfigurableApplicationContext... nodes) {
		awaitVersion(1, version, nodes);
	}

	private static void awaitVersion(long seconds, long version, ConfigurableApplicationContext... nodes) {
		await().atMost(seconds, TimeUnit.SECONDS)
			.pollInterval(20, TimeUnit.MILLISECONDS)
			.until(() -> Arrays.stream(nodes)
				.allMatch((node) -> node.getBean(RuntimeLimits.class).version() == version));
	}

	private static String wsUrl(ConfigurableApplicationContext node) {
		return GatewayNodes.wsUrl(GatewayNodes.port(node));
	}

}
