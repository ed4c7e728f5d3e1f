package io.courier.gateway.support;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.courier.gateway.relay.MultiplexedRelayMessageHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway on a random loopback port, connected to the real RabbitMQ that
 * {@code rabbitmq/setup.sh} started, trusting {@link TestIdentityProvider}. Each test
 * class gets its own node and closes it afterwards: a gateway left running by an earlier
 * class would otherwise stay an order-event consumer and a subscriber in RabbitMQ.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "courier.node-id=test-node" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class GatewayIntegrationTest {

	static {
		// Runtime limits survive restarts in the courier.limits stream: a change left
		// there by an earlier run (the
		// console's tests publish one) would override the courier.limits.* properties
		// these tests set. Once per JVM.
		RabbitBroker.deleteQueue("courier.limits");
	}

	protected final TestIdentityProvider idp = TestIdentityProvider.get();

	@LocalServerPort
	protected int port;

	@Autowired
	@Qualifier("stompBrokerRelayMessageHandler")
	private AbstractBrokerMessageHandler relay;

	/**
	 * The queues this node receives topics and user destinations through (the multiplexed
	 * relay's).
	 */
	protected List<String> nodeQueueNames() {
		return ((MultiplexedRelayMessageHandler) this.relay).nodeQueueNames();
	}

	@Autowired
	private RabbitTemplate amqp;

	@DynamicPropertySource
	static void identityProvider(DynamicPropertyRegistry registry) {
		TestIdentityProvider.register(registry);
	}

	@BeforeEach
	void relayIsConnected() {
		await().atMost(30, TimeUnit.SECONDS).until(this.relay::isBrokerAvailable);
	}

	/**
	 * Publishes {@code body} to {@code /topic/<routingKey>} over AMQP until
	 * {@code subscription} receives it: a SUBSCRIBE has no acknowledgement without a
	 * receipt, so this is how a test knows it is live.
	 */
	protected void awaitTopicDelivery(String routingKey, String body, BlockingQueue<String> subscription) {
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			this.amqp.convertAndSend("amq.topic", routingKey, body);
			assertThat(subscription.poll(300, TimeUnit.MILLISECONDS)).isEqualTo(body);
		});
	}

	protected String wsUrl() {
		return "ws://127.0.0.1:" + this.port + "/ws";
	}

	protected String sockJsUrl() {
		return "http://127.0.0.1:" + this.port + "/sockjs";
	}

	protected String httpUrl(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

}
