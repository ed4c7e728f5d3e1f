package io.courier.gateway.control;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession.Subscription;

import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;
import io.courier.gateway.support.TestIdentityProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's requests on {@code courier.cluster}, as the console sends them (reply_to
 * + correlation_id), to two nodes with real STOMP clients: every node answers a list
 * request, only the holder answers for one session, and a disconnect closes the client
 * with ERROR {@code disconnected by operator}.
 */
class ControlRequestsIntegrationTests {

	private static final TestIdentityProvider idp = TestIdentityProvider.get();

	private static final Set<String> BOTH = Set.of("ctl-a", "ctl-b");

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	private static ClusterTap console;

	@BeforeAll
	static void startNodes() {
		Map<String, Object> properties = Map.of("courier.orders.consumer-enabled", false);
		nodeA = GatewayNodes.start("ctl-a", properties);
		nodeB = GatewayNodes.start("ctl-b", properties);
		console = ClusterTap.open();
	}

	@AfterAll
	static void stopNodes() {
		if (console != null) {
			console.close();
		}
		GatewayNodes.close(nodeA, nodeB);
	}

	@Test
	void everyNodeAnswersTheSessionListWithSubscriptionsFramesAndHeartbeat() throws Exception {
		Connection alice = StompTestClient.connect(wsUrl(nodeA), idp.token("alice"));
		BlockingQueue<String> news = alice.subscribe("/topic/public.control-news");
		awaitDelivery("public.control-news", news);

		Map<String, JsonNode> replies = request("control.sessions",
				"{\"user\":\"alice\",\"nodeId\":null,\"transport\":null,\"remoteAddress\":\"127.0.0.1\"}");

		assertThat(replies).containsOnlyKeys("ctl-a", "ctl-b");
		assertThat(replies.get("ctl-b").get("sessions")).isEmpty();
		assertThat(replies.get("ctl-a").get("sessions")).hasSize(1);
		JsonNode session = replies.get("ctl-a").get("sessions").get(0);
		assertThat(session.get("nodeId").asString()).isEqualTo("ctl-a");
		assertThat(session.get("user").asString()).isEqualTo("alice");
		assertThat(session.get("transport").asString()).isEqualTo("websocket");
		assertThat(session.get("remoteAddress").asString()).as("the IP, as on SSE and polls").isEqualTo("127.0.0.1");
		assertThat(session.get("connectedAt").asString()).isNotEmpty();
		assertThat(session.get("lastActivity").asString()).isNotEmpty();
		assertThat(session.get("subscriptions")).hasSize(1);
		assertThat(session.get("subscriptions").get(0).get("destination").asString())
			.isEqualTo("/topic/public.control-news");
		assertThat(session.get("subscriptions").get(0).get("id").asString()).isNotEmpty();
		assertThat(session.get("framesIn").asLong()).isGreaterThanOrEqualTo(2); // CONNECT,
																				// SUBSCRIBE
		assertThat(session.get("framesOut").asLong()).isGreaterThanOrEqualTo(2); // CONNECTED,
																					// MESSAGE
		// Spring's client offers 10 s each way when it has a scheduler; RabbitMQ agrees
		assertThat(session.get("heartbeat").get("client").asLong()).isEqualTo(10_000);
		assertThat(session.get("heartbeat").get("server").asLong()).isEqualTo(10_000);

		assertThat(request("control.sessions", "{\"transport\":\"sockjs\"}").get("ctl-a").get("sessions")).isEmpty();
		assertThat(request("control.sessions", "{\"nodeId\":\"ctl-b\"}").get("ctl-a").get("sessions")).isEmpty();
		alice.disconnect();
	}

	@Test
	void unsubscribeRemovesTheSubscriptionFromTheSessionDetail() throws Exception {
		Connection erin = StompTestClient.connect(wsUrl(nodeB), idp.token("erin"));
		BlockingQueue<String> first = erin.subscribe("/topic/public.control-first");
		awaitDelivery("public.control-first", first);
		Subscription second = erin.session().subscribe("/topic/public.control-second", new StompFrameHandler() {
			@Override
			public Type getPayloadType(StompHeaders headers) {
				return byte[].class;
			}

			@Override
			public void handleFrame(StompHeaders headers, @Nullable Object payload) {
			}
		});
		await().atMost(5, TimeUnit.SECONDS).until(() -> subscriptionsOf("erin", "ctl-b").size() == 2);

		second.unsubscribe();

		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			JsonNode subscriptions = subscriptionsOf("erin", "ctl-b");
			assertThat(subscriptions).hasSize(1);
			assertThat(subscriptions.get(0).get("destination").asString()).isEqualTo("/topic/public.control-first");
		});
		erin.disconnect();
	}

	@Test
	void onlyTheHoldingNodeAnswersForOneSession() throws Exception {
		Connection carol = StompTestClient.connect(wsUrl(nodeB), idp.token("carol"));
		String sessionId = sessionIdOf("carol", "ctl-b");

		String correlationId = console.request("control.session", "{\"sessionId\":\"" + sessionId + "\"}");
		// waits the whole second: a node that is not running never answers
		Map<String, JsonNode> replies = console.replies(correlationId, Set.of("no-such-node"), 1_000);

		assertThat(replies).containsOnlyKeys("ctl-b");
		assertThat(replies.get("ctl-b").get("session").get("sessionId").asString()).isEqualTo(sessionId);
		assertThat(replies.get("ctl-b").get("session").get("user").asString()).isEqualTo("carol");
		carol.disconnect();
	}

	@Test
	void disconnectBySessionClosesItWithTheOperatorError() throws Exception {
		Connection target = StompTestClient.connect(wsUrl(nodeA), idp.token("dave"));
		Connection sameUserOnB = StompTestClient.connect(wsUrl(nodeB), idp.token("dave"));
		String sessionId = sessionIdOf("dave", "ctl-a");

		Map<String, JsonNode> replies = request("control.disconnect",
				"{\"sessionId\":\"" + sessionId + "\",\"by\":\"ops-test\"}");

		assertThat(replies.get("ctl-a").get("closed").asInt()).isEqualTo(1);
		assertThat(replies.get("ctl-b").get("closed").asInt()).isZero();
		assertThat(target.awaitError()).isEqualTo("disconnected by operator");
		assertThat(target.awaitClosed()).isTrue();
		assertThat(sameUserOnB.isClosed()).isFalse();
		sameUserOnB.disconnect();
	}

	@Test
	void disconnectByUserClosesTheUsersSessionsOnEveryNode() throws Exception {
		Connection onA = StompTestClient.connect(wsUrl(nodeA), idp.token("bob"));
		Connection onB = StompTestClient.connect(wsUrl(nodeB), idp.token("bob"));
		Connection bystander = StompTestClient.connect(wsUrl(nodeA), idp.token("frank"));
		await().atMost(5, TimeUnit.SECONDS).until(() -> sessionsOf("frank").size() == 1);

		Map<String, JsonNode> replies = request("control.disconnect", "{\"user\":\"bob\",\"by\":\"ops-test\"}");

		assertThat(replies.get("ctl-a").get("closed").asInt()).isEqualTo(1);
		assertThat(replies.get("ctl-b").get("closed").asInt()).isEqualTo(1);
		for (Connection bob : new Connection[] { onA, onB }) {
			assertThat(bob.awaitError()).isEqualTo("disconnected by operator");
			assertThat(bob.awaitClosed()).isTrue();
		}
		assertThat(bystander.isClosed()).isFalse();
		bystander.disconnect();
	}

	private static Map<String, JsonNode> request(String command, String body) {
		Map<String, JsonNode> replies = replyTo(command, body);
		assertThat(replies).as("replies to " + command).containsOnlyKeys(BOTH);
		return replies;
	}

	private static Map<String, JsonNode> replyTo(String command, String body) {
		return console.replies(console.request(command, body), BOTH, 2_000);
	}

	private static List<JsonNode> sessionsOf(String user) {
		List<JsonNode> sessions = new ArrayList<>();
		replyTo("control.sessions", "{\"user\":\"" + user + "\"}").values()
			.forEach((reply) -> reply.get("sessions").forEach(sessions::add));
		return sessions;
	}

	private static JsonNode subscriptionsOf(String user, String node) {
		return replyTo("control.sessions", "{\"user\":\"" + user + "\"}").get(node)
			.get("sessions")
			.get(0)
			.get("subscriptions");
	}

	private static String sessionIdOf(String user, String node) {
		await().atMost(5, TimeUnit.SECONDS).until(() -> !sessionsOf(user).isEmpty());
		return replyTo("control.sessions", "{\"user\":\"" + user + "\"}").get(node)
			.get("sessions")
			.get(0)
			.get("sessionId")
			.asString();
	}

	private static void awaitDelivery(String routingKey, BlockingQueue<String> subscription) {
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			console.publish("amq.topic", routingKey, "live");
			assertThat(subscription.poll(300, TimeUnit.MILLISECONDS)).isEqualTo("live");
		});
	}

	private static String wsUrl(ConfigurableApplicationContext node) {
		return GatewayNodes.wsUrl(GatewayNodes.port(node));
	}

}
