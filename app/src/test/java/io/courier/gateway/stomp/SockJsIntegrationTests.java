package io.courier.gateway.stomp;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SockJS endpoint carries the same STOMP contract: JWT in CONNECT, same rules, same
 * deliveries.
 */
class SockJsIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private RabbitTemplate rabbit;

	@Test
	void sockJsClientFollowsItsOrder() throws Exception {
		String orderId = "sockjs" + System.nanoTime();
		Connection alice = StompTestClient.connect(sockJsUrl(), this.idp.token("alice", orderId));
		BlockingQueue<String> topic = alice.subscribe("/topic/orders." + orderId);
		BlockingQueue<String> updates = alice.subscribe("/user/queue/order-updates");

		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			OrderEvents.publish(this.rabbit, orderId, "alice", "READY");
			assertThat(topic.poll(300, TimeUnit.MILLISECONDS)).contains("READY");
			assertThat(updates.poll(2, TimeUnit.SECONDS)).contains("READY");
		});
		alice.disconnect();
	}

	@Test
	void sockJsStrangerIsRefusedLikeOnWebSocket() throws Exception {
		Connection mallory = StompTestClient.connect(sockJsUrl(), this.idp.token("mallory"));
		mallory.subscribe("/topic/orders.42");
		assertThat(mallory.awaitError())
			.isEqualTo("forbidden destination: /topic/orders.42 (42 is not in the token's orders claim)");
		assertThat(mallory.awaitClosed()).isTrue();
	}

}
