package io.courier.gateway.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.RabbitBroker;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A gateway on a vhost of its own ({@link #vhostOf}, with the test vhost's permissions),
 * made afresh before the class, so that it starts on a known state of the order queues,
 * and deleted after it. A subclass points the gateway at it with {@link #useVhost}.
 */
abstract class OrderQueuesIntegrationTest extends GatewayIntegrationTest {

	@Autowired
	private RabbitTemplate rabbit;

	@LocalManagementPort
	private int managementPort;

	static String vhostOf(Class<?> test) {
		return "courier-test-" + test.getSimpleName();
	}

	@BeforeAll
	static void createVhost(TestInfo test) {
		RabbitBroker.createVhostLikeTestVhost(vhostOf(test.getTestClass().orElseThrow()));
	}

	@AfterAll
	static void deleteVhost(TestInfo test) {
		RabbitBroker.deleteVhost(vhostOf(test.getTestClass().orElseThrow()));
	}

	static void useVhost(DynamicPropertyRegistry registry, String vhost) {
		registry.add("spring.rabbitmq.virtual-host", () -> vhost);
		registry.add("courier.relay.virtual-host", () -> vhost);
	}

	/** {@code /actuator/health/orders}. */
	JsonNode ordersHealth() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/orders"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body());
	}

	/** An event published over AMQP reaches the owner's user queue. */
	void assertOrderEventReachesItsOwner() throws Exception {
		String orderId = OrderTrackingIntegrationTests.uniqueOrderId();
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		BlockingQueue<String> updates = alice.subscribe("/user/queue/order-updates");
		await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
			OrderEvents.publish(this.rabbit, orderId, "alice", "SHIPPED");
			assertThat(updates.poll(300, TimeUnit.MILLISECONDS)).contains("\"orderId\":\"" + orderId + "\"")
				.contains("SHIPPED");
		});
		alice.disconnect();
	}

}
