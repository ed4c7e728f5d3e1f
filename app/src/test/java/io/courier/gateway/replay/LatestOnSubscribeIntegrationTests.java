package io.courier.gateway.replay;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.RawStompSocket;
import io.courier.gateway.support.SseTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code courier-last: 1} on SUBSCRIBE (and {@code last=1} on SSE and poll): a client
 * that subscribes after three events gets the third first, marked retained, then live
 * ones, on the node that saw the events and on a node started after them (which reads the
 * stream); the order page's case, an order's current status, included.
 */
class LatestOnSubscribeIntegrationTests extends GatewayIntegrationTest {

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

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
	void aSubscriberAfterThreeEventsGetsTheThirdFirstThenLiveOnes() throws Exception {
		String topic = "public.last-" + System.nanoTime();
		publishAndAwaitHistory(topic, "first", "second", "third");
		RawStompSocket client = connect(this.port, "alice");

		client.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/" + topic, "courier-last:1", "receipt:r");

		String receipt = client.readFrame();
		assertThat(receipt).startsWith("RECEIPT");
		long position = Long.parseLong(RawStompSocket.header(receipt, "courier-id"));
		String retained = client.readFrame();
		assertThat(RawStompSocket.body(retained)).isEqualTo("third");
		assertThat(RawStompSocket.header(retained, "courier-retained")).isEqualTo("true");
		assertThat(RawStompSocket.header(retained, "destination")).isEqualTo("/topic/" + topic);
		assertThat(RawStompSocket.header(retained, "subscription")).isEqualTo("s");
		assertThat(RawStompSocket.header(retained, "content-type")).startsWith("text/plain");
		long retainedId = Long.parseLong(RawStompSocket.header(retained, "courier-id"));
		assertThat(retainedId).as("the retained message is from before the subscription's position")
			.isLessThanOrEqualTo(position);

		publish(topic, "fourth");
		String live = client.readFrame();
		assertThat(RawStompSocket.body(live)).isEqualTo("fourth");
		assertThat(RawStompSocket.header(live, "courier-retained")).as("a live message is not marked").isEmpty();
		assertThat(Long.parseLong(RawStompSocket.header(live, "courier-id"))).isGreaterThan(retainedId);
		assertThatExceptionOfType(SocketTimeoutException.class).as("nothing twice")
			.isThrownBy(() -> client.readFrame(500));
	}

	@Test
	void aNodeStartedAfterTheEventsFindsTheLatestInTheStream() throws Exception {
		String topic = "public.last-late-" + System.nanoTime();
		publishAndAwaitHistory(topic, "first", "second", "third");
		ConfigurableApplicationContext late = GatewayNodes.start("late-node", Map.of());
		try {
			RawStompSocket client = connect(GatewayNodes.port(late), "bob");
			client.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/" + topic, "courier-last:1");
			String retained = client.readFrame();
			assertThat(RawStompSocket.body(retained)).isEqualTo("third");
			assertThat(RawStompSocket.header(retained, "courier-retained")).isEqualTo("true");

			publish(topic, "fourth");
			assertThat(RawStompSocket.body(client.readFrame())).isEqualTo("fourth");
		}
		finally {
			GatewayNodes.close(late);
		}
	}

	@Test
	void theOrderPageGetsTheOrdersCurrentStatusAtOnce() throws Exception {
		String orderId = "o" + System.nanoTime();
		String user = "carol" + System.nanoTime();
		String token = this.idp.token(user, orderId);
		String since = cursor("/topic/orders." + orderId, token);
		OrderEvents.publish(this.rabbit, orderId, user, "PLACED");
		OrderEvents.publish(this.rabbit, orderId, user, "PACKED");
		OrderEvents.publish(this.rabbit, orderId, user, "SHIPPED");
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> poll("/topic/orders." + orderId, token, "since=" + since + "&wait=0").path("events")
				.size() == 3);
		RawStompSocket client = RawStompSocket.connect(this.port, token);
		this.sockets.add(client);

		client.sendFrame("SUBSCRIBE", "id:o", "destination:/topic/orders." + orderId, "courier-last:1");
		String current = client.readFrame();
		assertThat(json.readTree(RawStompSocket.body(current)).path("status").asString()).isEqualTo("SHIPPED");
		assertThat(RawStompSocket.header(current, "content-type")).startsWith("application/json");

		client.sendFrame("SUBSCRIBE", "id:u", "destination:/user/queue/order-updates", "courier-last:1");
		String own = client.readFrame();
		assertThat(RawStompSocket.header(own, "destination")).isEqualTo("/user/queue/order-updates");
		assertThat(json.readTree(RawStompSocket.body(own)).path("status").asString()).isEqualTo("SHIPPED");
	}

	@Test
	void nothingRetainedMeansLiveOnlyAndUnsubscribeStopsIt() throws Exception {
		String topic = "public.last-empty-" + System.nanoTime();
		RawStompSocket client = connect(this.port, "dave");
		client.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/" + topic, "courier-last:1", "receipt:r");
		assertThat(client.readFrame()).startsWith("RECEIPT");
		assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> client.readFrame(500));

		publish(topic, "live");
		String live = client.readFrame();
		assertThat(RawStompSocket.body(live)).isEqualTo("live");
		assertThat(RawStompSocket.header(live, "courier-retained")).isEmpty();

		client.sendFrame("UNSUBSCRIBE", "id:s", "receipt:gone");
		assertThat(RawStompSocket.header(client.readFrame(), "receipt-id")).isEqualTo("gone");
		publish(topic, "after");
		assertThatExceptionOfType(SocketTimeoutException.class).as("nothing after UNSUBSCRIBE")
			.isThrownBy(() -> client.readFrame(1_000));
	}

	@Test
	void aDestinationHistoryDoesNotKeepIsRefusedWithTheReason() throws Exception {
		RawStompSocket client = connect(this.port, "erin");
		client.sendFrame("SUBSCRIBE", "id:s", "destination:/user/queue/replies", "courier-last:1");
		assertThat(RawStompSocket.header(client.readFrame(), "message")).isEqualTo(
				"invalid frame: courier-last on /user/queue/replies, which is not kept in history (history keeps "
						+ "/user/queue/order-updates and /topic/ keys matching [orders.*, public.#, presence.*])");

		RawStompSocket other = connect(this.port, "erin");
		other.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/public.x", "courier-last:yes");
		assertThat(RawStompSocket.header(other.readFrame(), "message"))
			.isEqualTo("invalid frame: courier-last must be 1, not yes");
	}

	@Test
	void sseAndPollAskWithLastAndSeeItMarked() throws Exception {
		String topic = "public.last-sse-" + System.nanoTime();
		publishAndAwaitHistory(topic, "first", "second", "third");
		String token = this.idp.token("frank");

		JsonNode answer = poll("/topic/" + topic, token, "last=1&wait=0");
		assertThat(answer.path("events")).hasSize(1);
		assertThat(answer.path("events").get(0).path("data").asString()).isEqualTo("third");
		assertThat(answer.path("events").get(0).path("retained").asString()).isEqualTo("true");

		try (SseTestClient sse = SseTestClient
			.open(SseTestClient.url("http://127.0.0.1:" + this.port, "/topic/" + topic) + "&last=1", token, null)) {
			sse.awaitSubscribed();
			SseTestClient.Event retained = sse.next();
			assertThat(retained.event()).isEqualTo("retained");
			JsonNode data = json.readTree(retained.data());
			assertThat(data.path("destination").asString()).isEqualTo("/topic/" + topic);
			assertThat(data.path("data").asString()).isEqualTo("third");
			publish(topic, "fourth");
			SseTestClient.Event live = sse.next();
			assertThat(live.event()).isEqualTo("/topic/" + topic);
			assertThat(live.data()).isEqualTo("fourth");
			assertThat(Long.parseLong(live.id())).isGreaterThan(Long.parseLong(retained.id()));
		}
	}

	private RawStompSocket connect(int port, String user) throws IOException {
		RawStompSocket socket = RawStompSocket.connect(port, this.idp.token(user));
		this.sockets.add(socket);
		return socket;
	}

	private void publish(String topic, String body) {
		this.rabbit.send("amq.topic", topic,
				MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
					.setContentType(MessageProperties.CONTENT_TYPE_TEXT_PLAIN)
					.build());
	}

	/**
	 * Publishes the bodies in order and waits until this node's history has all of them.
	 */
	private void publishAndAwaitHistory(String topic, String... bodies) throws Exception {
		String token = this.idp.token("history-reader");
		String since = cursor("/topic/" + topic, token);
		for (String body : bodies) {
			publish(topic, body);
		}
		await().atMost(10, TimeUnit.SECONDS)
			.until(() -> poll("/topic/" + topic, token, "since=" + since + "&wait=0").path("events")
				.size() == bodies.length);
	}

	/**
	 * Where this node's history is now (a poll that waits for nothing answers 204 with
	 * the cursor).
	 */
	private String cursor(String destination, String token) throws Exception {
		return send(destination, token, "wait=0").headers().firstValue("Courier-Cursor").orElseThrow();
	}

	private JsonNode poll(String destination, String token, String query) throws Exception {
		HttpResponse<String> response = send(destination, token, query);
		return (response.statusCode() == 204) ? json.createObjectNode() : json.readTree(response.body());
	}

	private HttpResponse<String> send(String destination, String token, String query) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest
			.newBuilder(URI
				.create(httpUrl("/poll?dest=" + URLEncoder.encode(destination, StandardCharsets.UTF_8) + "&" + query)))
			.header("Authorization", "Bearer " + token)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isIn(200, 204);
		return response;
	}

}
