package io.courier.gateway.stomp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;

import io.courier.gateway.orders.OrderProperties;
import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.RabbitBroker;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;
import io.courier.gateway.support.TestIdentityProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateway nodes in one test, sharing the real RabbitMQ: node A serves the user's
 * session and does not consume order events; node B is the only consumer. An event
 * published to RabbitMQ is consumed by B and reaches the user on A, on the order topic
 * and on the user queue (one publish on {@code courier.user}, which RabbitMQ routes to
 * the user's sessions wherever they are).
 */
class TwoNodeIntegrationTests {

	private static final TestIdentityProvider idp = TestIdentityProvider.get();

	private static ConfigurableApplicationContext nodeA;

	private static ConfigurableApplicationContext nodeB;

	@BeforeAll
	static void startNodes() {
		nodeB = start("node-b", true);
		nodeA = start("node-a", false);
	}

	@AfterAll
	static void stopNodes() {
		GatewayNodes.close(nodeA, nodeB);
	}

	@Test
	void userOnNodeAReceivesEventConsumedByNodeB() throws Exception {
		String orderId = "o" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		Connection alice = StompTestClient.connect(wsUrl(nodeA), idp.token("alice", orderId));
		BlockingQueue<String> topic = alice.subscribe("/topic/orders." + orderId);
		BlockingQueue<String> updates = alice.subscribe("/user/queue/order-updates");
		RabbitTemplate rabbit = nodeB.getBean(RabbitTemplate.class);

		await().atMost(15, TimeUnit.SECONDS).pollInterval(300, TimeUnit.MILLISECONDS).untilAsserted(() -> {
			OrderEvents.publish(rabbit, orderId, "alice", "PACKED");
			assertThat(topic.poll(200, TimeUnit.MILLISECONDS)).contains("PACKED");
			assertThat(updates.poll(2, TimeUnit.SECONDS)).contains("PACKED");
		});
		alice.disconnect();
	}

	/**
	 * A user already connected to the consuming node opens a second session on the other
	 * node: the very next event reaches both sessions. Routing is RabbitMQ's (one key per
	 * user on {@code courier.user}); a node does not need to have heard of the other
	 * node's sessions first.
	 */
	@Test
	void userWithSessionsOnBothNodesGetsTheNextEventOnEach() throws Exception {
		String orderId = "o" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		String user = "both-" + orderId;
		Connection onB = StompTestClient.connect(wsUrl(nodeB), idp.token(user, orderId));
		BlockingQueue<String> updatesOnB = onB.subscribeConfirmed("/user/queue/order-updates");
		Connection onA = StompTestClient.connect(wsUrl(nodeA), idp.token(user, orderId));
		BlockingQueue<String> updatesOnA = onA.subscribeConfirmed("/user/queue/order-updates");

		OrderEvents.publish(nodeB.getBean(RabbitTemplate.class), orderId, user, "PACKED");

		assertThat(updatesOnB.poll(5, TimeUnit.SECONDS)).contains("PACKED");
		assertThat(updatesOnA.poll(5, TimeUnit.SECONDS)).contains("PACKED");
		assertThat(updatesOnA.poll(500, TimeUnit.MILLISECONDS)).as("exactly once").isNull();
		assertThat(updatesOnB.poll(10, TimeUnit.MILLISECONDS)).as("exactly once").isNull();
		onA.disconnect();
		onB.disconnect();
	}

	/**
	 * Spring's "this session only" send ({@code @SendToUser(broadcast = false)} builds
	 * exactly these headers): the session gets it, the user's other sessions, on this
	 * node and the other, do not.
	 */
	@Test
	void sendToOneSessionOfAUserReachesThatSessionOnly() throws Exception {
		String user = "one-" + UUID.randomUUID().toString().substring(0, 8);
		Connection first = StompTestClient.connect(wsUrl(nodeA), idp.token(user));
		BlockingQueue<String> firstReplies = first.subscribeConfirmed("/user/queue/replies");
		String firstId = nodeA.getBean(LocalSessions.class)
			.sessions()
			.stream()
			.filter((session) -> session.user().equals(user))
			.findFirst()
			.orElseThrow()
			.sessionId();
		Connection sibling = StompTestClient.connect(wsUrl(nodeA), idp.token(user));
		BlockingQueue<String> siblingReplies = sibling.subscribeConfirmed("/user/queue/replies");
		Connection elsewhere = StompTestClient.connect(wsUrl(nodeB), idp.token(user));
		BlockingQueue<String> elsewhereReplies = elsewhere.subscribeConfirmed("/user/queue/replies");
		SimpMessagingTemplate messaging = nodeA.getBean(SimpMessagingTemplate.class);

		SimpMessageHeaderAccessor toFirst = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		toFirst.setSessionId(firstId);
		toFirst.setLeaveMutable(true);
		messaging.convertAndSendToUser(user, "/queue/replies", "{\"to\":\"first\"}", toFirst.getMessageHeaders());
		messaging.convertAndSendToUser(user, "/queue/replies", "{\"to\":\"all\"}");

		assertThat(firstReplies.poll(5, TimeUnit.SECONDS)).contains("first");
		assertThat(firstReplies.poll(5, TimeUnit.SECONDS)).contains("all");
		assertThat(siblingReplies.poll(5, TimeUnit.SECONDS)).contains("all");
		assertThat(elsewhereReplies.poll(5, TimeUnit.SECONDS)).contains("all");
		assertThat(siblingReplies.poll(300, TimeUnit.MILLISECONDS)).isNull();
		assertThat(elsewhereReplies.poll(10, TimeUnit.MILLISECONDS)).isNull();
		first.disconnect();
		sibling.disconnect();
		elsewhere.disconnect();
	}

	@Test
	void eachNodeNamesItselfInActuatorInfo() throws Exception {
		for (String node : new String[] { "node-a", "node-b" }) {
			ConfigurableApplicationContext context = node.equals("node-a") ? nodeA : nodeB;
			String port = context.getEnvironment().getProperty("local.management.port");
			HttpResponse<String> info = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/info")).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(info.body()).contains("\"node-id\":\"" + node + "\"");
		}
	}

	/**
	 * Over RabbitMQ's management API: {@code courier.order-events} has a consumer on node
	 * B's AMQP connection and none on node A's (other consumers, of a gateway outside
	 * this test, may be there too).
	 */
	@Test
	void eachNodeHasItsOwnRelaySessionsAndOnlyNodeBConsumes() {
		assertThat(
				nodeA.getBean("stompBrokerRelayMessageHandler", AbstractBrokerMessageHandler.class).isBrokerAvailable())
			.isTrue();
		assertThat(
				nodeB.getBean("stompBrokerRelayMessageHandler", AbstractBrokerMessageHandler.class).isBrokerAvailable())
			.isTrue();
		int portOfA = amqpPort(nodeA);
		int portOfB = amqpPort(nodeB);
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(RabbitBroker.consumerPorts(OrderProperties.QUEUE))
				.as("client ports of the consumers of %s (node A %d, node B %d)", OrderProperties.QUEUE, portOfA,
						portOfB)
				.contains(portOfB)
				.doesNotContain(portOfA));
	}

	/**
	 * The client port of the node's AMQP connection, the one its listeners and templates
	 * share.
	 */
	private static int amqpPort(ConfigurableApplicationContext node) {
		return node.getBean(RabbitTemplate.class).getConnectionFactory().createConnection().getLocalPort();
	}

	private static ConfigurableApplicationContext start(String nodeId, boolean consumer) {
		return GatewayNodes.start(nodeId, Map.of("courier.orders.consumer-enabled", consumer));
	}

	private static String wsUrl(ConfigurableApplicationContext node) {
		return GatewayNodes.wsUrl(GatewayNodes.port(node));
	}

}
