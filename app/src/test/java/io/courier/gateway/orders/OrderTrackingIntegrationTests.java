package io.courier.gateway.orders;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.stomp.StompHeaders;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.RabbitBroker;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Order events published by a backend service over AMQP (or the HTTP API) reach the
 * order's topic and the owner's user queue, through the real RabbitMQ.
 */
class OrderTrackingIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private RabbitTemplate rabbit;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void amqpOrderEventReachesTopicSubscriberAndOwnersUserQueue() throws Exception {
		String orderId = uniqueOrderId();
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		BlockingQueue<String> topic = alice.subscribe("/topic/orders." + orderId);
		BlockingQueue<String> updates = alice.subscribe("/user/queue/order-updates");
		awaitSubscribed(orderId, "alice", topic, updates);

		OrderEvents.publish(this.rabbit, orderId, "alice", "SHIPPED");

		assertThat(topic.poll(10, TimeUnit.SECONDS)).contains("\"orderId\":\"" + orderId + "\"")
			.contains("\"status\":\"SHIPPED\"")
			.contains("\"at\":\"2026-11-24T10:00:00Z\"");
		assertThat(updates.poll(10, TimeUnit.SECONDS)).contains("\"status\":\"SHIPPED\"");
		alice.disconnect();
	}

	@Test
	void ownerCanSubscribeWithSubscriptionTokenInsteadOfClaim() throws Exception {
		String orderId = uniqueOrderId();
		String destination = "/topic/orders." + orderId;
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
		StompHeaders headers = new StompHeaders();
		headers.add("subscription-token", this.idp.subscriptionToken("alice", destination));
		BlockingQueue<String> topic = alice.subscribe(destination, headers);
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			OrderEvents.publish(this.rabbit, orderId, "alice", "PAID");
			assertThat(topic.poll(300, TimeUnit.MILLISECONDS)).contains("PAID");
		});
		assertThat(alice.isClosed()).isFalse();
		alice.disconnect();
	}

	@Test
	void strangerGetsErrorNamingTheDestination() throws Exception {
		String orderId = uniqueOrderId();
		Connection mallory = StompTestClient.connect(wsUrl(), this.idp.token("mallory", "other-order"));
		mallory.subscribe("/topic/orders." + orderId);
		assertThat(mallory.awaitError()).isEqualTo("forbidden destination: /topic/orders." + orderId + " (" + orderId
				+ " is not in the token's orders claim)");
		assertThat(mallory.awaitClosed()).isTrue();
	}

	@Test
	void subscriptionTokenOfAnotherUserIsRefused() throws Exception {
		String destination = "/topic/orders." + uniqueOrderId();
		Connection mallory = StompTestClient.connect(wsUrl(), this.idp.token("mallory"));
		StompHeaders headers = new StompHeaders();
		headers.add("subscription-token", this.idp.subscriptionToken("alice", destination));
		mallory.subscribe(destination, headers);
		assertThat(mallory.awaitError())
			.isEqualTo("forbidden destination: " + destination + " (subscription-token is for another user)");
	}

	@Test
	void sendToTopicIsRefused() throws Exception {
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
		alice.send("/topic/public.news", "spoofed");
		assertThat(alice.awaitError()).isEqualTo("forbidden destination: /topic/public.news (no rule grants SEND)");
		assertThat(alice.awaitClosed()).isTrue();
	}

	@Test
	void thousandRapidEventsForOneOrderArriveInPublishOrder() throws Exception {
		String orderId = uniqueOrderId();
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		BlockingQueue<String> topic = alice.subscribe("/topic/orders." + orderId);
		BlockingQueue<String> updates = alice.subscribe("/user/queue/order-updates");
		awaitSubscribed(orderId, "alice", topic, updates);

		// One channel for the whole sequence: RabbitMQ keeps publish order per channel
		// only, and RabbitTemplate
		// would otherwise take a cached channel per send (the test once saw two
		// interleaved streams from that).
		int count = 1000;
		this.rabbit.invoke((operations) -> {
			for (int i = 0; i < count; i++) {
				OrderEvents.publish(operations, orderId, "alice", "STEP-" + i);
			}
			return null;
		});

		assertThat(drain(topic, count)).containsExactly(expectedSteps(count));
		assertThat(drain(updates, count)).containsExactly(expectedSteps(count));
		alice.disconnect();
	}

	@Test
	void malformedEventIsDeadLetteredWithReasonAndNextOneIsDelivered() throws Exception {
		String orderId = uniqueOrderId();
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		BlockingQueue<String> topic = alice.subscribe("/topic/orders." + orderId);
		awaitSubscribed(orderId, "alice", topic);
		drainDeadLetters();

		this.rabbit.invoke((operations) -> {
			OrderEvents.publishRaw(operations, "order." + orderId, "{not json");
			OrderEvents.publishRaw(operations, "order." + orderId,
					"{\"orderId\":\"" + orderId + "\",\"status\":\"X\"}");
			OrderEvents.publish(operations, orderId, "alice", "AFTER-POISON");
			return null;
		});

		assertThat(topic.poll(10, TimeUnit.SECONDS)).contains("AFTER-POISON");
		Message first = this.rabbit.receive(OrderProperties.DEAD_LETTER_QUEUE, 10_000);
		Message second = this.rabbit.receive(OrderProperties.DEAD_LETTER_QUEUE, 10_000);
		assertThat(first).isNotNull();
		assertThat(second).isNotNull();
		assertThat(new String(first.getBody())).isEqualTo("{not json");
		assertThat((String) first.getMessageProperties().getHeader(OrderProperties.REASON_HEADER))
			.startsWith("body is not JSON");
		assertThat((String) second.getMessageProperties().getHeader(OrderProperties.REASON_HEADER))
			.isEqualTo("missing or empty field 'userId'");
		alice.disconnect();
	}

	@Test
	void httpPublishWithScopeReachesTheOwner() throws Exception {
		String orderId = uniqueOrderId();
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		BlockingQueue<String> updates = alice.subscribe("/user/queue/order-updates");
		awaitSubscribed(orderId, "alice", updates);

		HttpResponse<String> response = postEvent(orderId, OrderEvents.json(orderId, "alice", "DELIVERED"),
				this.idp.tokenWithScope("order-service", "orders:publish"));

		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(updates.poll(10, TimeUnit.SECONDS)).contains("DELIVERED");
		alice.disconnect();
	}

	@Test
	void httpPublishWithoutScopeIsForbiddenAndWithoutTokenUnauthorized() throws Exception {
		String orderId = uniqueOrderId();
		String body = OrderEvents.json(orderId, "alice", "DELIVERED");
		assertThat(postEvent(orderId, body, this.idp.token("alice", orderId)).statusCode()).isEqualTo(403);
		assertThat(postEvent(orderId, body, null).statusCode()).isEqualTo(401);
	}

	@Test
	void httpPublishOfInvalidEventIsBadRequestNamingTheField() throws Exception {
		String orderId = uniqueOrderId();
		HttpResponse<String> response = postEvent(orderId, "{\"orderId\":\"" + orderId + "\",\"status\":\"X\"}",
				this.idp.tokenWithScope("order-service", "orders:publish"));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("missing or empty field 'userId'");
	}

	@Test
	void anEventOverTheMaximumSizeIsRefusedOverHttpAndDeadLetteredOverAmqp() throws Exception {
		String orderId = uniqueOrderId();
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		BlockingQueue<String> topic = alice.subscribe("/topic/orders." + orderId);
		awaitSubscribed(orderId, "alice", topic);
		drainDeadLetters();
		String tooLarge = "event is larger than 65536 bytes (courier.orders.max-event-size)";
		String big = OrderEvents.json(orderId, "alice", "BIG-" + "x".repeat(64 * 1024));
		// Spring's WebSocketStompClient (this test's client) decodes frames of up to 64
		// KiB: the accepted event is
		// kept under that with its headers; the exact boundary is OrderEventTests'.
		String largestAccepted = OrderEvents.json(orderId, "alice", "FITS-" + "y".repeat(60 * 1024));
		String token = this.idp.tokenWithScope("order-service", "orders:publish");

		HttpResponse<String> refused = postEvent(orderId, big, token);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains(tooLarge);
		assertThat(postEvent(orderId, largestAccepted, token).statusCode()).isEqualTo(202);
		assertThat(topic.poll(10, TimeUnit.SECONDS)).contains("FITS-");

		String overAmqp = big;
		this.rabbit.invoke((operations) -> {
			OrderEvents.publishRaw(operations, "order." + orderId, overAmqp);
			OrderEvents.publish(operations, orderId, "alice", "AFTER-BIG");
			return null;
		});
		assertThat(topic.poll(10, TimeUnit.SECONDS)).contains("AFTER-BIG");
		Message dead = this.rabbit.receive(OrderProperties.DEAD_LETTER_QUEUE, 10_000);
		assertThat(dead).isNotNull();
		assertThat((String) dead.getMessageProperties().getHeader(OrderProperties.REASON_HEADER)).isEqualTo(tooLarge);
		assertThat(topic.poll(1, TimeUnit.SECONDS)).as("the big event reached nobody").isNull();
		alice.disconnect();
	}

	@Test
	void orderSessionsLeaveNoQueueNorBindingBehindInRabbitMq() throws Exception {
		List<String> before = RabbitBroker.queueNames();
		List<String> nodeQueues = nodeQueueNames();
		List<Connection> clients = new ArrayList<>();
		List<String> orders = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String orderId = uniqueOrderId();
			orders.add(orderId);
			Connection client = StompTestClient.connect(wsUrl(), this.idp.token("user-" + i, orderId));
			client.subscribeConfirmed("/user/queue/order-updates");
			client.subscribeConfirmed("/topic/orders." + orderId);
			clients.add(client);
		}
		assertThat(RabbitBroker.queueNames()).as("no queue per session").isSubsetOf(before);
		assertThat(nodeQueues.stream().flatMap((queue) -> RabbitBroker.bindingsOf(queue).stream()))
			.contains("amq.topic/orders." + orders.get(0), "amq.topic/orders." + orders.get(4));

		clients.forEach(Connection::disconnect);

		await().atMost(15, TimeUnit.SECONDS)
			.untilAsserted(
					() -> assertThat(nodeQueues.stream().flatMap((queue) -> RabbitBroker.bindingsOf(queue).stream()))
						.noneMatch((binding) -> orders.stream().anyMatch(binding::endsWith)));
		assertThat(RabbitBroker.queueNames()).noneMatch((name) -> name.contains("-user"));
	}

	/** Starts from an empty dead-letter queue. */
	private void drainDeadLetters() {
		while (this.rabbit.receive(OrderProperties.DEAD_LETTER_QUEUE) != null) {
			// dropped
		}
	}

	private HttpResponse<String> postEvent(String orderId, String body, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpUrl("/api/orders/" + orderId + "/events")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A SUBSCRIBE is acknowledged by nothing in STOMP without a receipt, so publish probe
	 * events until each queue has seen one; then one last event, {@code PROBED},
	 * published after every probe, reaches each queue after them: once each queue has it,
	 * no probe is still on its way, and what follows starts from a live subscription with
	 * nothing left over.
	 */
	@SafeVarargs
	private void awaitSubscribed(String orderId, String userId, BlockingQueue<String>... queues) throws Exception {
		await().atMost(10, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).until(() -> {
			OrderEvents.publish(this.rabbit, orderId, userId, "PROBE");
			return Arrays.stream(queues).noneMatch(BlockingQueue::isEmpty);
		});
		OrderEvents.publish(this.rabbit, orderId, userId, "PROBED");
		for (BlockingQueue<String> queue : queues) {
			String body;
			do {
				body = queue.poll(10, TimeUnit.SECONDS);
				assertThat(body).as("the event after the probes").isNotNull();
			}
			while (!body.contains("\"PROBED\""));
		}
	}

	private static List<String> drain(BlockingQueue<String> queue, int count) throws InterruptedException {
		List<String> statuses = new ArrayList<>();
		while (statuses.size() < count) {
			String body = queue.poll(20, TimeUnit.SECONDS);
			if (body == null) {
				break;
			}
			if (!body.contains("\"PROBE\"")) {
				statuses.add(body.replaceAll(".*\"status\":\"([^\"]+)\".*", "$1"));
			}
		}
		return statuses;
	}

	private static String[] expectedSteps(int count) {
		String[] steps = new String[count];
		for (int i = 0; i < count; i++) {
			steps[i] = "STEP-" + i;
		}
		return steps;
	}

	static String uniqueOrderId() {
		return "o" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

}
