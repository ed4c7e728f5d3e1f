package io.courier.gateway.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RabbitBroker;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions as the order page makes them (each user its own order topic and user queue)
 * cost RabbitMQ no queue of their own: the node receives through its node queues, bound
 * with one key per distinct destination, and fans out in the JVM. Every session still
 * gets its own events and nobody else's; churn leaves no binding behind.
 */
@TestPropertySource(properties = { "courier.limits.handshake-rate=2000", "courier.limits.handshake-burst=2000",
		"courier.limits.frame-rate=1000", "courier.limits.frame-burst=1000" })
class NodeQueueDeliveryIntegrationTests extends GatewayIntegrationTest {

	private static final int SESSIONS = 500;

	@Autowired
	private RabbitTemplate rabbit;

	private final List<RawStompSocket> sockets = new ArrayList<>();

	@AfterEach
	void close() throws IOException {
		for (RawStompSocket socket : this.sockets) {
			socket.close();
		}
	}

	@Test
	void sessionsShareTheNodeQueuesAndGetOnlyTheirOwnEvents() throws Exception {
		List<String> queuesBefore = RabbitBroker.queueNames();
		List<String> nodeQueues = nodeQueueNames();
		assertThat(nodeQueues).hasSize(2).allMatch((name) -> name.startsWith("courier.node.test-node."));
		assertThat(queuesBefore).containsAll(nodeQueues);
		String run = Long.toHexString(System.nanoTime());
		for (int i = 0; i < SESSIONS; i++) {
			String user = "own-" + run + "-" + i;
			RawStompSocket session = RawStompSocket.open(this.port, 64 * 1024);
			this.sockets.add(session);
			session.sendFrame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:0,0",
					"Authorization:Bearer " + this.idp.token(user, "o" + run + i));
			session.sendFrame("SUBSCRIBE", "id:order", "destination:/topic/orders.o" + run + i);
			session.sendFrame("SUBSCRIBE", "id:updates", "destination:/user/queue/order-updates", "receipt:ready");
		}
		for (RawStompSocket session : this.sockets) {
			assertThat(session.readFrame()).startsWith("CONNECTED");
			assertThat(session.readFrame()).startsWith("RECEIPT"); // both SUBSCRIBEs are
																	// in place (in order)
		}

		assertThat(RabbitBroker.queueNames()).as("no queue per session").isSubsetOf(queuesBefore);
		Set<String> bindings = new HashSet<>();
		for (String queue : nodeQueues) {
			bindings.addAll(RabbitBroker.bindingsOf(queue));
		}
		assertThat(bindings).hasSize(2 * SESSIONS)
			.contains("amq.topic/orders.o" + run + 0,
					"courier.user/queue.order-updates.u." + userKey("own-" + run + "-0"));

		this.rabbit.invoke((operations) -> {
			for (int i = 0; i < SESSIONS; i++) {
				operations.convertAndSend("amq.topic", "orders.o" + run + i, "order-" + i);
				operations.convertAndSend("courier.user", "queue.order-updates.u." + userKey("own-" + run + "-" + i),
						"update-" + i);
			}
			return null;
		});
		for (int i = 0; i < SESSIONS; i++) {
			RawStompSocket session = this.sockets.get(i);
			Set<String> received = Set.of(RawStompSocket.body(session.readFrame()),
					RawStompSocket.body(session.readFrame()));
			assertThat(received).as("session " + i).containsExactlyInAnyOrder("order-" + i, "update-" + i);
		}

		// Churn: half unsubscribe, half disconnect; nothing of theirs stays bound.
		for (int i = 0; i < SESSIONS; i++) {
			RawStompSocket session = this.sockets.get(i);
			if (i % 2 == 0) {
				session.sendFrame("UNSUBSCRIBE", "id:order");
				session.sendFrame("UNSUBSCRIBE", "id:updates", "receipt:gone");
				assertThat(session.readFrame()).startsWith("RECEIPT");
			}
			else {
				session.sendFrame("DISCONNECT", "receipt:bye");
				assertThat(session.readFrame()).startsWith("RECEIPT");
			}
		}
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			for (String queue : nodeQueues) {
				assertThat(RabbitBroker.bindingsOf(queue)).noneMatch((binding) -> binding.contains(run));
			}
		});
	}

	private static String userKey(String user) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(user.getBytes(StandardCharsets.UTF_8));
	}

}
