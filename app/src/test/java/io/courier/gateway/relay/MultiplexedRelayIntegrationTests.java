package io.courier.gateway.relay;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RabbitBroker;
import io.courier.gateway.support.RawStompSocket;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the multiplexed relay promises, checked on the real RabbitMQ: a node's sessions
 * share the pool's broker connections, a topic has one broker queue per node whatever the
 * number of subscribers, churn leaves nothing behind, and heart-beats with clients are
 * the node's own.
 */
@TestPropertySource(properties = { "courier.limits.handshake-rate=10000", "courier.limits.handshake-burst=10000",
		"courier.client-heartbeat.send=1s", "courier.client-heartbeat.receive=1s", "courier.relay.connections=4" })
class MultiplexedRelayIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	@Qualifier("stompBrokerRelayMessageHandler")
	private AbstractBrokerMessageHandler handler;

	@Autowired
	private LocalSessions localSessions;

	@Autowired
	private RabbitTemplate rabbit;

	private MultiplexedRelayMessageHandler relay() {
		return (MultiplexedRelayMessageHandler) this.handler;
	}

	@Test
	void fiveHundredSessionsUseThePoolsBrokerConnectionsOnly() throws Exception {
		WebSocketStompClient client = StompTestClient.client(false);
		List<Connection> connections = new ArrayList<>();
		try {
			for (int i = 0; i < 500; i++) {
				connections
					.add(StompTestClient.open(client, wsUrl(), this.idp.token("pool" + i), new WebSocketHttpHeaders()));
			}
			connections.forEach(Connection::awaitConnected);
			assertThat(relay().stats().sessions()).isGreaterThanOrEqualTo(500);
			assertThat(RabbitBroker.stompConnections()).as("STOMP connections in the vhost").isLessThanOrEqualTo(4);
		}
		finally {
			connections.forEach(Connection::disconnect);
		}
	}

	@Test
	void aTopicHasOneBrokerQueueWhateverTheNumberOfSubscribers() {
		String key = "public.shared" + System.nanoTime();
		List<Connection> connections = new ArrayList<>();
		List<BlockingQueue<String>> queues = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			Connection connection = StompTestClient.connect(wsUrl(), this.idp.token("share" + i));
			queues.add(connection.subscribeConfirmed("/topic/" + key));
			connections.add(connection);
		}
		assertThat(RabbitBroker.topicBindings(key)).isEqualTo(1);

		awaitTopicDelivery(key, "to all", queues.get(0));
		for (BlockingQueue<String> queue : queues.subList(1, queues.size())) {
			await().atMost(5, TimeUnit.SECONDS).until(() -> "to all".equals(queue.poll()));
		}

		connections.forEach(Connection::disconnect);
		await().atMost(10, TimeUnit.SECONDS).until(() -> RabbitBroker.topicBindings(key) == 0);
	}

	@Test
	void subscribeUnsubscribeChurnLeavesNoBrokerSubscriptionBehind() throws Exception {
		String prefix = "public.churn" + System.nanoTime() + "-";
		MultiplexedRelayMessageHandler.Stats before = relay().stats();
		List<Connection> connections = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			connections.add(StompTestClient.connect(wsUrl(), this.idp.token("churn" + i)));
		}
		for (int round = 0; round < 20; round++) {
			for (int i = 0; i < connections.size(); i++) {
				StompSession session = connections.get(i).session();
				StompSession.Subscription subscription = session.subscribe("/topic/" + prefix + ((round + i) % 3),
						new NoFrames());
				if ((round + i) % 4 != 0) {
					subscription.unsubscribe();
				}
			}
		}
		// Each session kept the subscriptions of the rounds where (round + i) % 4 == 0: 5
		// each, to all 3 topics.
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			assertThat(relay().stats().clientSubscriptions()).as("subscriptions the sessions hold")
				.isEqualTo(before.clientSubscriptions() + 50);
			assertThat(relay().stats().topics()).as("topics the node receives").isEqualTo(before.topics() + 3);
			for (int k = 0; k < 3; k++) {
				assertThat(RabbitBroker.topicBindings(prefix + k)).as("bindings of " + prefix + k).isEqualTo(1);
			}
		});
		// Half the sessions leave with subscriptions still open, the others unsubscribe
		// first.
		for (int i = 0; i < connections.size(); i++) {
			if (i % 2 == 0) {
				connections.get(i).disconnect();
			}
		}
		for (int i = 1; i < connections.size(); i += 2) {
			StompTestClient.connect(wsUrl(), this.idp.token("late" + i)).disconnect();
			connections.get(i).disconnect();
		}
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			assertThat(relay().stats().topics()).isEqualTo(before.topics());
			assertThat(relay().stats().clientSubscriptions()).isEqualTo(before.clientSubscriptions());
			assertThat(relay().stats().brokerSubscriptions()).isEqualTo(before.brokerSubscriptions());
			for (int k = 0; k < 3; k++) {
				assertThat(RabbitBroker.topicBindings(prefix + k)).isZero();
			}
		});
	}

	@Test
	void clientThatStopsHeartBeatingIsClosedWithinTwoIntervals() throws Exception {
		try (RawStompSocket silent = RawStompSocket.open(this.port, 64 * 1024)) {
			silent.sendFrame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:1000,1000",
					"Authorization:Bearer " + this.idp.token("silent"));
			String connected = silent.readFrame();
			assertThat(connected).startsWith("CONNECTED").contains("heart-beat:1000,1000");
			long start = System.nanoTime();
			String error = silent.readFrame();
			long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertThat(error).startsWith("ERROR").contains("message:heart-beat timeout");
			assertThat(elapsed).as("ms until the ERROR").isBetween(1000L, 2000L + 500L);
			assertThat(silent.awaitServerClose(5_000)).isTrue();
		}
	}

	@Test
	void clientThatHeartBeatsStaysConnectedAndReceivesHeartBeats() throws Exception {
		try (RawStompSocket beating = RawStompSocket.open(this.port, 64 * 1024)) {
			beating.sendFrame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:1000,1000",
					"Authorization:Bearer " + this.idp.token("beating"));
			assertThat(beating.readFrame()).startsWith("CONNECTED");
			int received = 0;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
			while (System.nanoTime() < deadline) {
				beating.sendHeartbeat();
				String frame = beating.readFrameOrHeartbeat();
				assertThat(frame).isEqualTo("\n");
				received++;
			}
			assertThat(received).as("heart-beats from the node in 4 s").isBetween(3, 8);
		}
	}

	/**
	 * The topic fan-out encodes a MESSAGE once per distinct subscription id and writes it
	 * to the sessions itself: every subscriber still gets its own {@code subscription}
	 * header and the broker's headers, after the RECEIPT of its SUBSCRIBE, and binary
	 * content still arrives as a binary WebSocket message.
	 */
	@Test
	void fannedOutMessagesCarryEachSubscriptionsIdAndTheBrokersHeaders() throws Exception {
		String key = "public.ids" + System.nanoTime();
		try (RawStompSocket a = RawStompSocket.open(this.port, 64 * 1024);
				RawStompSocket b = RawStompSocket.open(this.port, 64 * 1024)) {
			for (RawStompSocket socket : List.of(a, b)) {
				socket.sendFrame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:0,0",
						"Authorization:Bearer " + this.idp.token("ids"));
				assertThat(socket.readFrame()).startsWith("CONNECTED");
			}
			a.sendFrame("SUBSCRIBE", "id:sub-0", "destination:/topic/" + key, "receipt:a1");
			a.sendFrame("SUBSCRIBE", "id:second", "destination:/topic/" + key, "receipt:a2");
			b.sendFrame("SUBSCRIBE", "id:sub-0", "destination:/topic/" + key, "receipt:b1");
			assertThat(a.readFrame()).startsWith("RECEIPT").contains("receipt-id:a1");
			assertThat(a.readFrame()).startsWith("RECEIPT").contains("receipt-id:a2");
			assertThat(b.readFrame()).startsWith("RECEIPT").contains("receipt-id:b1");
			assertThat(RabbitBroker.topicBindings(key)).isEqualTo(1);

			long framesOut = this.localSessions.framesOut();
			MessageProperties json = new MessageProperties();
			json.setContentType("application/json");
			json.setHeader("x-trace", "t-42");
			MessageProperties binary = new MessageProperties();
			binary.setContentType("application/octet-stream");
			this.rabbit.invoke((operations) -> { // one channel: RabbitMQ keeps the order
													// per channel only
				operations.send("amq.topic", key, new Message("{\"n\":1}".getBytes(StandardCharsets.UTF_8), json));
				operations.send("amq.topic", key, new Message(new byte[] { 'b', 'i', 'n' }, binary));
				return null;
			});

			List<String> toA = List.of(a.readFrame(), a.readFrame());
			assertThat(toA).anySatisfy((frame) -> assertThat(frame).contains("subscription:sub-0\n"))
				.anySatisfy((frame) -> assertThat(frame).contains("subscription:second\n"));
			String toB = b.readFrame();
			assertThat(b.lastFrameWasBinary()).isFalse();
			for (String frame : List.of(toA.get(0), toA.get(1), toB)) {
				assertThat(frame).startsWith("MESSAGE\n")
					.contains("destination:/topic/" + key + "\n")
					.contains("content-type:application/json\n")
					.contains("x-trace:t-42\n")
					.contains("message-id:")
					.endsWith("\n\n{\"n\":1}\0");
			}
			assertThat(toB).contains("subscription:sub-0\n");
			// counted once written, which may be just after the client read it
			await().atMost(5, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(this.localSessions.framesOut() - framesOut).as("MESSAGE frames counted")
					.isGreaterThanOrEqualTo(3));

			String binaryToB = b.readFrame();
			assertThat(b.lastFrameWasBinary()).as("octet-stream content in a binary WebSocket message").isTrue();
			assertThat(binaryToB).startsWith("MESSAGE\n").contains("subscription:sub-0\n").endsWith("\n\nbin\0");
		}
	}

	private static final class NoFrames implements org.springframework.messaging.simp.stomp.StompFrameHandler {

		@Override
		public java.lang.reflect.Type getPayloadType(org.springframework.messaging.simp.stomp.StompHeaders headers) {
			return byte[].class;
		}

		@Override
		public void handleFrame(org.springframework.messaging.simp.stomp.StompHeaders headers,
				@org.jspecify.annotations.Nullable Object payload) {
		}

	}

}
