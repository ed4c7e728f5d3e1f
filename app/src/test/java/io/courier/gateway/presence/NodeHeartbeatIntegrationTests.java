package io.courier.gateway.presence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each {@code node.heartbeat} says how the node is doing: address, sessions, frames each
 * way, relay, version, and its connections to RabbitMQ.
 */
@TestPropertySource(properties = "courier.presence.heartbeat=1s")
class NodeHeartbeatIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private ConnectionFactory connectionFactory;

	@Test
	void heartbeatCarriesNodeStatusWithCumulativeFrameCounts() throws Exception {
		try (ClusterTap tap = ClusterTap.open(this.connectionFactory, "node.heartbeat")) {
			Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
			BlockingQueue<String> news = alice.subscribe("/topic/public.heartbeat-test");
			awaitTopicDelivery("public.heartbeat-test", "one", news);

			// A heart-beat sent before the MESSAGE was written may be first in the tap:
			// wait for one after it.
			JsonNode first = tap
				.await((r) -> isMine(r.body()) && r.body().get("node").get("sessions").asInt() == 1
						&& r.body().get("node").get("framesOut").asLong() >= 2, 10)
				.body()
				.get("node");
			assertThat(first.get("nodeId").asString()).isEqualTo("test-node");
			assertThat(first.get("address").asString()).isEqualTo("http://127.0.0.1:" + this.port);
			assertThat(Instant.parse(first.get("startedAt").asString())).isBefore(Instant.now());
			assertThat(first.get("relay").asString()).isEqualTo("UP");
			assertThat(first.get("version").asString()).isEqualTo("0.1.0-SNAPSHOT");
			assertThat(first.get("framesIn").asLong()).isGreaterThanOrEqualTo(2); // CONNECT,
																					// SUBSCRIBE
			assertThat(first.get("framesOut").asLong()).isGreaterThanOrEqualTo(2); // CONNECTED,
																					// MESSAGE

			for (int i = 0; i < 3; i++) {
				alice.send("/app/noop", "frame " + i);
			}
			awaitTopicDelivery("public.heartbeat-test", "two", news);
			long framesIn = first.get("framesIn").asLong();
			long framesOut = first.get("framesOut").asLong();
			JsonNode later = tap
				.await((r) -> isMine(r.body()) && r.body().get("node").get("framesIn").asLong() >= framesIn + 3
						&& r.body().get("node").get("framesOut").asLong() > framesOut, 10)
				.body()
				.get("node");
			assertThat(later.get("startedAt").asString()).isEqualTo(first.get("startedAt").asString());
			alice.disconnect();
		}
	}

	@Test
	void heartbeatSaysWhichBrokerAddressEachConnectionIsOn() {
		try (ClusterTap tap = ClusterTap.open(this.connectionFactory, "node.heartbeat")) {
			// the pool's connections come up one by one after the first: wait until all
			// are
			JsonNode node = tap
				.await((r) -> isMine(r.body()) && r.body().get("node").has("brokerLinks")
						&& !brokerLinks(r.body().get("node")).toString().contains("down"), 10)
				.body()
				.get("node");
			assertThat(brokerLinks(node)).as("each pooled relay connection (4), then the AMQP connection")
				.containsExactly("stomp 127.0.0.1:61613 up", "stomp 127.0.0.1:61613 up", "stomp 127.0.0.1:61613 up",
						"stomp 127.0.0.1:61613 up", "amqp 127.0.0.1:5672 up");
		}
	}

	private static List<String> brokerLinks(JsonNode node) {
		List<String> links = new ArrayList<>();
		node.get("brokerLinks")
			.forEach((link) -> links.add(link.get("kind").asString() + " " + link.get("address").asString() + " "
					+ (link.get("up").asBoolean() ? "up" : "down")));
		return links;
	}

	private static boolean isMine(JsonNode heartbeat) {
		return "test-node".equals(heartbeat.get("nodeId").asString()) && heartbeat.has("node");
	}

}
