package io.courier.gateway.relay;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queue subscriptions behave the same on the multiplexed relay as on Spring's relay with
 * a broker connection per session: competing consumers share a queue, a NACKed message
 * comes back marked redelivered, messages a session did not ack are redelivered to
 * another consumer when it leaves, and a bad ACK costs only its own session.
 */
class QueueSemanticsIntegrationTests {

	@Nested
	class Multiplexed extends Semantics {

	}

	@Nested
	@TestPropertySource(properties = "courier.relay.engine=spring")
	class SpringRelay extends Semantics {

	}

	@TestPropertySource(properties = { "courier.security.rules[0].frame=SUBSCRIBE",
			"courier.security.rules[0].pattern=/queue/test.work-*", "courier.security.rules[0].access=AUTHENTICATED",
			"courier.security.rules[1].frame=SEND", "courier.security.rules[1].pattern=/queue/test.work-*",
			"courier.security.rules[1].access=AUTHENTICATED" })
	abstract static class Semantics extends GatewayIntegrationTest {

		@Autowired
		private RabbitTemplate rabbit;

		@Autowired
		private RabbitAdmin admin;

		private final String queue = "test.work-" + System.nanoTime();

		private final List<Connection> connections = new ArrayList<>();

		@AfterEach
		void cleanUp() {
			this.connections.forEach(Connection::disconnect);
			this.admin.deleteQueue(this.queue);
		}

		@Test
		void competingConsumersShareTheQueue() throws Exception {
			Consumer a = consumer("alice", "auto");
			Consumer b = consumer("bob", "auto");
			publish(20);

			Set<String> bodies = new HashSet<>();
			List<Received> all = new ArrayList<>();
			all.addAll(a.take(20, 300));
			all.addAll(b.take(20, 300));
			all.forEach((received) -> bodies.add(received.body()));
			assertThat(all).hasSize(20);
			assertThat(bodies).hasSize(20);
			assertThat(a.count()).isPositive();
			assertThat(b.count()).isPositive();
		}

		@Test
		void nackedMessageIsRedelivered() throws Exception {
			Consumer a = consumer("alice", "client-individual");
			publish(1);
			Received first = a.next();
			assertThat(first.headers().getFirst("redelivered")).isIn(null, "false");
			a.session().acknowledge(first.headers().getAck(), false);

			Received again = a.next();
			assertThat(again.body()).isEqualTo(first.body());
			assertThat(again.headers().getFirst("redelivered")).isEqualTo("true");
			a.session().acknowledge(again.headers().getAck(), true);
			assertThat(a.received.poll(1, TimeUnit.SECONDS)).as("nothing after the ACK").isNull();
		}

		@Test
		void messagesNotAckedGoToAnotherConsumerWhenTheSessionEnds() throws Exception {
			Consumer a = consumer("alice", "client");
			publish(3);
			List<Received> unacked = a.take(3, 5_000);
			assertThat(unacked).hasSize(3);
			a.connection().disconnect();

			Consumer b = consumer("bob", "client");
			List<Received> redelivered = b.take(3, 10_000);
			assertThat(redelivered).extracting(Received::body)
				.containsExactlyElementsOf(unacked.stream().map(Received::body).toList());
			assertThat(redelivered)
				.allSatisfy((received) -> assertThat(received.headers().getFirst("redelivered")).isEqualTo("true"));
			b.session().acknowledge(redelivered.get(2).headers().getAck(), true);
		}

		@Test
		void ackOfAnUnknownMessageEndsOnlyThatSession() throws Exception {
			Consumer a = consumer("alice", "client");
			Consumer b = consumer("bob", "auto");
			a.session().acknowledge("no-such-message", true);
			assertThat(a.connection().awaitError()).isNotNull();
			assertThat(a.connection().awaitClosed()).isTrue();

			publish(2);
			assertThat(b.take(2, 5_000)).hasSize(2);
		}

		private Consumer consumer(String user, String ack) {
			Connection connection = StompTestClient.connect(wsUrl(), this.idp.token(user));
			this.connections.add(connection);
			Consumer consumer = new Consumer(connection);
			StompHeaders headers = new StompHeaders();
			headers.setDestination("/queue/" + this.queue);
			headers.setAck(ack);
			connection.subscribeConfirmed(headers, consumer);
			return consumer;
		}

		private void publish(int count) {
			this.rabbit.invoke((operations) -> {
				for (int i = 0; i < count; i++) {
					operations.convertAndSend("", this.queue, "work-" + i);
				}
				return null;
			});
		}

	}

	record Received(StompHeaders headers, String body) {
	}

	static final class Consumer implements StompFrameHandler {

		private final Connection connection;

		final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

		private int count;

		Consumer(Connection connection) {
			this.connection = connection;
		}

		Connection connection() {
			return this.connection;
		}

		StompSession session() {
			return this.connection.session();
		}

		int count() {
			return this.count;
		}

		Received next() throws InterruptedException {
			Received received = this.received.poll(10, TimeUnit.SECONDS);
			assertThat(received).as("a MESSAGE").isNotNull();
			return received;
		}

		/**
		 * Up to {@code max} messages, stopping when none came for {@code quietMillis}.
		 */
		List<Received> take(int max, long quietMillis) throws InterruptedException {
			List<Received> taken = new ArrayList<>();
			Received first = this.received.poll(10, TimeUnit.SECONDS);
			if (first == null) {
				return taken;
			}
			taken.add(first);
			while (taken.size() < max) {
				Received next = this.received.poll(quietMillis, TimeUnit.MILLISECONDS);
				if (next == null) {
					break;
				}
				taken.add(next);
			}
			this.count += taken.size();
			return taken;
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return byte[].class;
		}

		@Override
		public void handleFrame(StompHeaders headers, @Nullable Object payload) {
			this.received.add(new Received(headers, new String((byte[]) payload, StandardCharsets.UTF_8)));
		}

	}

}
