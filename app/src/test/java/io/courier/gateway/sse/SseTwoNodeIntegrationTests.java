package io.courier.gateway.sse;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;

import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.SseTestClient;
import io.courier.gateway.support.SseTestClient.Event;
import io.courier.gateway.support.TestIdentityProvider;
import io.courier.gateway.support.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Event ids mean the same on every node: a client reads on node A, drops, and resumes on
 * node B, which keeps no recent window and so reads the missed events from the stream.
 * Node A does not consume order events: node B records the user copy once, and the user's
 * stream on node A gets it.
 */
class SseTwoNodeIntegrationTests {

	private static final TestIdentityProvider idp = TestIdentityProvider.get();

	private static final HttpClient http = HttpClient.newHttpClient();

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	@BeforeAll
	static void startNodes() {
		nodeA = GatewayNodes.start("sse-a", Map.of("courier.orders.consumer-enabled", false));
		nodeB = GatewayNodes.start("sse-b", Map.of("courier.sse.recent-events", 0));
	}

	@AfterAll
	static void stopNodes() {
		GatewayNodes.close(nodeA, nodeB);
	}

	@Test
	void aStreamDroppedOnNodeAResumesOnNodeBWithExactlyTheMissedEvents() throws Exception {
		String topic = "public.nodes-" + UUID.randomUUID().toString().substring(0, 8);
		String token = idp.token("roaming");
		String lastSeen;
		try (SseTestClient onA = SseTestClient.open(sseUrl(nodeA, "/topic/" + topic), token, null)) {
			onA.awaitSubscribed();
			publish(topic, "e0");
			lastSeen = onA.next().id();
		}
		publish(topic, "e1", "e2", "e3", "e4", "e5");

		// the same ids through long polling on node B, once the five are in history
		List<String> polledIds = new ArrayList<>();
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			HttpResponse<String> poll = http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + GatewayNodes.port(nodeB) + "/poll?wait=0&since=" + lastSeen
						+ "&dest=" + URLEncoder.encode("/topic/" + topic, StandardCharsets.UTF_8)))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode events = JsonMapper.builder().build().readTree(poll.body()).get("events");
			assertThat(events.findValuesAsString("data")).containsExactly("e1", "e2", "e3", "e4", "e5");
			polledIds.clear();
			polledIds.addAll(events.findValuesAsString("id"));
		});

		try (SseTestClient onB = SseTestClient.open(sseUrl(nodeB, "/topic/" + topic), token, lastSeen)) {
			List<String> data = new ArrayList<>();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				Event event = onB.next();
				data.add(event.data());
				ids.add(event.id());
			}
			assertThat(data).containsExactly("e1", "e2", "e3", "e4", "e5");
			assertThat(ids).isEqualTo(polledIds);
			publish(topic, "e6");
			assertThat(onB.next().data()).isEqualTo("e6");
			assertThat(onB.next(500, TimeUnit.MILLISECONDS)).isNull();
		}
	}

	@Test
	void anOrderUpdateConsumedByNodeBReachesTheOwnersStreamOnNodeAOnce() throws Exception {
		String orderId = "o" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		try (SseTestClient onA = SseTestClient.open(sseUrl(nodeA, "/user/queue/order-updates"),
				idp.token("owner-" + orderId, orderId), null)) {
			onA.awaitSubscribed();
			OrderEvents.publish(nodeB.getBean(RabbitTemplate.class), orderId, "owner-" + orderId, "SHIPPED");
			Event update = onA.next();
			assertThat(update.event()).isEqualTo("/user/queue/order-updates");
			assertThat(update.data()).contains("\"orderId\":\"" + orderId + "\"").contains("SHIPPED");
			assertThat(onA.next(1, TimeUnit.SECONDS)).as("one copy per user, not per session or node").isNull();
		}
	}

	private static void publish(String key, String... bodies) {
		Topics.publish(nodeA.getBean(RabbitTemplate.class), key, bodies);
	}

	private static String sseUrl(ConfigurableApplicationContext node, String destination) {
		return SseTestClient.url("http://127.0.0.1:" + GatewayNodes.port(node), destination);
	}

}
