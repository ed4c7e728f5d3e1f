package io.courier.gateway.stomp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;

import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.RabbitBroker;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * RabbitMQ stopped and started under a running gateway ({@code rabbitmqctl stop_app} /
 * {@code start_app}): connected clients get an ERROR and are closed, the gateway's relay
 * and order consumer recover by themselves, and a client that reconnects receives again.
 * Events published while the gateway could not forward them wait in
 * {@code courier.order-events} and are delivered after recovery.
 */
class BrokerRestartIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private GatewayProperties gateway;

	@Autowired
	@Qualifier("stompBrokerRelayMessageHandler")
	private AbstractBrokerMessageHandler relay;

	@Autowired
	private RabbitTemplate rabbit;

	@LocalManagementPort
	private int managementPort;

	@AfterEach
	void brokerIsBackForTheNextTest() {
		RabbitBroker.startApp();
	}

	@Test
	void gatewayRecoversAfterBrokerRestartAndReconnectedClientReceivesAgain() throws Exception {
		String orderId = "restart" + System.nanoTime();
		Connection before = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		BlockingQueue<String> updates = before.subscribe("/user/queue/order-updates");
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			OrderEvents.publish(this.rabbit, orderId, "alice", "BEFORE");
			assertThat(updates.poll(300, TimeUnit.MILLISECONDS)).contains("BEFORE");
		});

		RabbitBroker.stopApp();

		assertThat(before.awaitError()).startsWith("broker unavailable: ");
		assertThat(before.awaitClosed()).isTrue();
		await().atMost(15, TimeUnit.SECONDS).until(() -> !this.relay.isBrokerAvailable());

		RabbitBroker.startApp();
		await().atMost(60, TimeUnit.SECONDS).until(this.relay::isBrokerAvailable);

		Connection after = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		BlockingQueue<String> topic = after.subscribe("/topic/orders." + orderId);
		await().atMost(30, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).untilAsserted(() -> {
			OrderEvents.publish(this.rabbit, orderId, "alice", "AFTER");
			assertThat(topic.poll(300, TimeUnit.MILLISECONDS)).contains("AFTER");
		});
		after.disconnect();
	}

	@Test
	void clientConnectingWhileBrokerIsDownGetsAnErrorNotAHang() throws Exception {
		assertThat(readiness()).isEqualTo(200);
		// Readiness is UP with the first pooled connection; after the other test's
		// restart the rest may still be coming back, with backoff.
		String address = this.gateway.relay().brokerAddresses().get(0);
		String up = relayHealth();
		assertThat(up).as("a pooled connection up, named with its broker address")
			.contains("\"address\":\"" + address + "\",\"up\":true");
		assertThat(Pattern.compile("\"address\":\"([^\"]*)\"").matcher(up).results().map((match) -> match.group(1)))
			.as("each pooled connection named with its broker address")
			.hasSize(this.gateway.relay().connections())
			.containsOnly(address);
		RabbitBroker.stopApp();
		await().atMost(15, TimeUnit.SECONDS).until(() -> !this.relay.isBrokerAvailable());
		assertThat(readiness()).as("not ready while the relay cannot reach RabbitMQ").isEqualTo(503);
		assertThat(relayHealth()).contains("\"up\":false").doesNotContain("\"up\":true");

		Connection connection = StompTestClient.open(wsUrl(), this.idp.token("alice"));

		assertThat(connection.awaitError()).isEqualTo("broker unavailable: Broker not available.");
		assertThat(connection.awaitClosed()).isTrue();

		RabbitBroker.startApp();
		await().atMost(60, TimeUnit.SECONDS).until(() -> readiness() == 200);
	}

	private String relayHealth() throws Exception {
		return health("/relay").body();
	}

	private int readiness() throws Exception {
		return health("/readiness").statusCode();
	}

	/** {@code /actuator/health<group>} on the management port. */
	private HttpResponse<String> health(String group) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health" + group))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}
