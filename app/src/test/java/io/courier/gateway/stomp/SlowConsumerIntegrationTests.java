package io.courier.gateway.stomp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RawStompSocket;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading (a bare socket with a 4 KiB receive buffer) among clients
 * that read: it is closed as a slow consumer, by the send buffer limit or by the send
 * time limit, and the others receive every message, in order, while it is stalled.
 */
class SlowConsumerIntegrationTests {

	/**
	 * Enough bytes (6.4 MB) that the stalled client's socket buffers (up to 4 MiB on
	 * loopback) fill; each message under the 8 KiB a Tomcat WebSocket client takes in one
	 * piece.
	 */
	static final int MESSAGES = 1600;

	static final String BODY = "x".repeat(4000);

	@Nested
	@TestPropertySource(properties = { "courier.limits.send-buffer-size=256KB", "courier.limits.send-time-limit=60s" })
	class BufferLimit extends Scenario {

		@Test
		void stalledClientIsClosedWhenItsBufferOverflowsAndOthersReceiveEverything() throws Exception {
			stalledClientIsClosedAndOthersReceiveEverything();
		}

	}

	@Nested
	@TestPropertySource(properties = { "courier.limits.send-buffer-size=64MB", "courier.limits.send-time-limit=2s" })
	class TimeLimit extends Scenario {

		@Test
		void stalledClientIsClosedWhenItsSocketTakesNothingForTheTimeLimit() throws Exception {
			stalledClientIsClosedAndOthersReceiveEverything();
		}

	}

	abstract static class Scenario extends GatewayIntegrationTest {

		@Autowired
		private RabbitTemplate rabbit;

		@Autowired
		private MeterRegistry meters;

		void stalledClientIsClosedAndOthersReceiveEverything() throws Exception {
			String topic = "public.slow" + System.nanoTime();
			List<Connection> fast = new ArrayList<>();
			List<BlockingQueue<String>> received = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				Connection connection = StompTestClient.connect(wsUrl(), this.idp.token("fast" + i));
				BlockingQueue<String> queue = connection.subscribe("/topic/" + topic);
				awaitTopicDelivery(topic, "warm-up", queue);
				fast.add(connection);
				received.add(queue);
			}
			double slowBefore = slowConsumerDisconnects();

			try (RawStompSocket stalled = RawStompSocket.connect(this.port, 4096, this.idp.token("stalled"))) {
				stalled.sendFrame("SUBSCRIBE", "id:sub-0", "destination:/topic/" + topic, "receipt:subscribed");
				assertThat(stalled.readFrame()).startsWith("RECEIPT");
				// From here on the stalled client reads nothing.

				// Paced at 1,000 messages (4 MB) per second, a rate the reading clients
				// keep up with; one channel,
				// so RabbitMQ keeps the order.
				this.rabbit.invoke((operations) -> {
					for (int i = 0; i < MESSAGES; i++) {
						operations.convertAndSend("amq.topic", topic, i + ":" + BODY);
						if (i % 10 == 9) {
							LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
						}
					}
					return null;
				});

				for (BlockingQueue<String> queue : received) {
					for (int i = 0; i < MESSAGES; i++) {
						String message = queue.poll(30, TimeUnit.SECONDS);
						while ("warm-up".equals(message)) {
							message = queue.poll(30, TimeUnit.SECONDS);
						}
						assertThat(message).as("message %d of a client that reads", i).startsWith(i + ":");
					}
				}
				await().atMost(20, TimeUnit.SECONDS)
					.untilAsserted(() -> assertThat(slowConsumerDisconnects()).isEqualTo(slowBefore + 1));
				assertThat(stalled.awaitServerClose(10_000)).as("the stalled client's socket is closed").isTrue();
			}
			for (Connection connection : fast) {
				assertThat(connection.isClosed()).isFalse();
				connection.disconnect();
			}
		}

		private double slowConsumerDisconnects() {
			return this.meters.get("courier.slow-consumer.disconnects").counter().count();
		}

	}

}
