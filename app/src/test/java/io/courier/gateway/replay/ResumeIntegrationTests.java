package io.courier.gateway.replay;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code courier-since: <id>} on SUBSCRIBE: a STOMP client that reconnects gets exactly
 * what it missed, in order, then live messages, on the node it left or on another; while
 * messages keep arriving too; an id history does not know gets a reset; the rules and the
 * header's syntax are checked as for any SUBSCRIBE.
 */
class ResumeIntegrationTests extends GatewayIntegrationTest {

	private static ConfigurableApplicationContext nodeB;

	@Autowired
	private RabbitTemplate rabbit;

	private final List<RawStompSocket> sockets = new ArrayList<>();

	@BeforeAll
	static void startNodeB() {
		nodeB = GatewayNodes.start("resume-b", Map.of());
	}

	@AfterAll
	static void stopNodeB() {
		GatewayNodes.close(nodeB);
	}

	@AfterEach
	void close() throws IOException {
		for (RawStompSocket socket : this.sockets) {
			socket.close();
		}
	}

	@Test
	void aClientResumingOnTheSameNodeGetsWhatItMissedThenLiveOnes() throws Exception {
		resume(this.port);
	}

	@Test
	void aClientResumingOnAnotherNodeGetsWhatItMissed() throws Exception {
		resume(GatewayNodes.port(nodeB));
	}

	private void resume(int resumePort) throws Exception {
		String topic = "public.resume-" + System.nanoTime();
		RawStompSocket first = connect(this.port, "alice");
		first.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/" + topic, "courier-last:1", "receipt:r");
		assertThat(first.readFrame()).startsWith("RECEIPT");
		publish(topic, "one");
		String one = first.readFrame();
		assertThat(RawStompSocket.body(one)).isEqualTo("one");
		long lastId = Long.parseLong(RawStompSocket.header(one, "courier-id"));
		first.close();

		publish(topic, "two");
		publish(topic, "three");
		awaitHistory(topic, 3);

		RawStompSocket again = connect(resumePort, "alice");
		again.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/" + topic, "courier-since:" + lastId, "receipt:r");
		assertThat(again.readFrame()).startsWith("RECEIPT");
		assertThat(bodies(again, 2)).containsExactly("two", "three");
		publish(topic, "four");
		assertThat(bodies(again, 1)).containsExactly("four");
		assertThatExceptionOfType(SocketTimeoutException.class).as("nothing twice")
			.isThrownBy(() -> again.readFrame(500));
	}

	@Test
	void resumingWhileMessagesKeepArrivingLosesAndRepeatsNothing() throws Exception {
		String topic = "public.resume-seam-" + System.nanoTime();
		RawStompSocket watcher = connect(this.port, "bob");
		watcher.sendFrame("SUBSCRIBE", "id:w", "destination:/topic/" + topic, "courier-last:1", "receipt:r");
		assertThat(watcher.readFrame()).startsWith("RECEIPT");
		int total = 300;
		CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < total; i++) {
				publish(topic, "e" + i);
				if (i % 20 == 0) {
					try {
						Thread.sleep(5);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
			}
		});
		// the id of event 49, as a client that dropped there would have kept it
		long resumeAfter = -2;
		for (int i = 0; i < 50; i++) {
			String frame = watcher.readFrame();
			assertThat(RawStompSocket.body(frame)).isEqualTo("e" + i);
			resumeAfter = Long.parseLong(RawStompSocket.header(frame, "courier-id"));
		}
		RawStompSocket resumed = connect(GatewayNodes.port(nodeB), "bob");
		resumed.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/" + topic, "courier-since:" + resumeAfter);
		List<String> received = bodies(resumed, total - 50);
		publishing.join();
		List<String> expected = new ArrayList<>();
		for (int i = 50; i < total; i++) {
			expected.add("e" + i);
		}
		assertThat(received).containsExactlyElementsOf(expected);
		assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> resumed.readFrame(500));
	}

	@Test
	void anIdHistoryDoesNotKnowGetsAResetThenLiveOnes() throws Exception {
		String topic = "public.resume-reset-" + System.nanoTime();
		RawStompSocket client = connect(this.port, "carol");
		client.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/" + topic, "courier-since:" + Long.MAX_VALUE / 2);
		String reset = client.readFrame(15_000);
		assertThat(RawStompSocket.header(reset, "courier-reset")).isEqualTo("unknown event id " + Long.MAX_VALUE / 2);
		assertThat(RawStompSocket.header(reset, "subscription")).isEqualTo("s");
		long cursor = Long.parseLong(RawStompSocket.header(reset, "courier-id"));
		publish(topic, "after the reset");
		String live = client.readFrame();
		assertThat(RawStompSocket.body(live)).isEqualTo("after the reset");
		assertThat(Long.parseLong(RawStompSocket.header(live, "courier-id"))).isGreaterThan(cursor);
	}

	@Test
	void aDestinationTheUserMayNotReadIsRefusedAsAnySubscribe() throws Exception {
		RawStompSocket client = connect(this.port, "dave");
		client.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/orders.not-yours", "courier-since:5");
		assertThat(RawStompSocket.header(client.readFrame(), "message"))
			.isEqualTo("forbidden destination: /topic/orders.not-yours (not-yours is not in the token's orders claim)");
	}

	@Test
	void garbageInCourierSinceIsAnError() throws Exception {
		RawStompSocket client = connect(this.port, "erin");
		client.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/public.x", "courier-since:yesterday");
		assertThat(RawStompSocket.header(client.readFrame(), "message"))
			.isEqualTo("invalid frame: courier-since must be a history id (an integer >= -1), not yesterday");
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
	 * Waits until a subscriber resuming from the start of this topic's short life would
	 * see {@code count}.
	 */
	private void awaitHistory(String topic, int count) throws Exception {
		RawStompSocket probe = connect(this.port, "probe");
		probe.sendFrame("SUBSCRIBE", "id:p", "destination:/topic/" + topic, "courier-last:1");
		// a slow machine may take longer than one read's timeout to hand the probe its
		// next event: a timed-out read is another round, not a failure
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(20))
			.ignoreExceptionsInstanceOf(java.net.SocketTimeoutException.class)
			.until(() -> {
				String frame = probe.readFrame(2_000);
				return RawStompSocket.body(frame).equals(count == 3 ? "three" : "e" + (count - 1));
			});
		probe.close();
	}

	private static List<String> bodies(RawStompSocket socket, int count) throws IOException {
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			bodies.add(RawStompSocket.body(socket.readFrame()));
		}
		return bodies;
	}

}
