package io.courier.gateway.messaging;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Request/reply with a backend over AMQP, as any language's AMQP client would do it: the backend binds a queue to
 * {@code courier.inbound} with {@code echo.#}, reads the sender from {@code courier-sender}, and answers to the
 * exchange and key in {@code courier-reply-exchange} / {@code courier-reply-key}, copying the correlation id. The
 * answer reaches only the sender; a SEND no backend is bound for is an ERROR; while the backend is stopped the
 * request waits in its queue.
 */
@TestPropertySource(properties = "courier.upstream.enabled=true")
class UpstreamIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private ConnectionFactory connectionFactory;

	@Autowired
	private RabbitAdmin admin;

	private final String queue = "test.backend-" + System.nanoTime();

	private SimpleMessageListenerContainer backend;

	private final List<RawStompSocket> sockets = new ArrayList<>();

	@BeforeEach
	void startBackend() {
		TopicExchange inbound = new TopicExchange("courier.inbound", true, false);
		this.admin.declareExchange(inbound);
		Queue requests = new Queue(this.queue, true);
		this.admin.declareQueue(requests);
		this.admin.declareBinding(BindingBuilder.bind(requests).to(inbound).with("echo.#"));
		RabbitTemplate replies = new RabbitTemplate(this.connectionFactory);
		this.backend = new SimpleMessageListenerContainer(this.connectionFactory);
		this.backend.setQueueNames(this.queue);
		this.backend.setMessageListener((request) -> {
			var properties = request.getMessageProperties();
			String answer = new String(request.getBody(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT) + " for "
					+ properties.getHeader("courier-sender");
			replies.send(properties.getHeader("courier-reply-exchange"), properties.getHeader("courier-reply-key"),
					MessageBuilder.withBody(answer.getBytes(StandardCharsets.UTF_8))
						.setContentType("text/plain")
						.setCorrelationId(properties.getCorrelationId())
						.build());
		});
		this.backend.start();
	}

	@AfterEach
	void stop() throws IOException {
		this.backend.stop();
		this.admin.deleteQueue(this.queue);
		for (RawStompSocket socket : this.sockets) {
			socket.close();
		}
	}

	@Test
	void theBackendsAnswerReachesOnlyTheSender() throws Exception {
		RawStompSocket alice = connect("alice");
		RawStompSocket bob = connect("bob");
		subscribe(alice, "/user/queue/replies");
		subscribe(bob, "/user/queue/replies");

		alice.sendText("SEND\ndestination:/app/echo.upper\nreply-to:/user/queue/replies\ncorrelation-id:c-1\n"
				+ "receipt:sent\ncontent-type:text/plain\n\nhello\0");

		// The RECEIPT (after RabbitMQ's confirm) and the backend's answer race each other.
		List<String> frames = List.of(alice.readFrame(), alice.readFrame());
		String receipt = frames.stream().filter((frame) -> frame.startsWith("RECEIPT")).findFirst().orElseThrow();
		assertThat(RawStompSocket.header(receipt, "receipt-id")).isEqualTo("sent");
		String answer = frames.stream().filter((frame) -> frame.startsWith("MESSAGE")).findFirst().orElseThrow();
		assertThat(RawStompSocket.body(answer)).isEqualTo("HELLO for alice");
		assertThat(RawStompSocket.header(answer, "correlation-id")).isEqualTo("c-1");
		assertThat(RawStompSocket.header(answer, "destination")).isEqualTo("/user/queue/replies");
		assertThatExceptionOfType(SocketTimeoutException.class).as("nothing for bob")
			.isThrownBy(() -> bob.readFrame(1_000));
	}

	@Test
	void aSendNoBackendIsBoundForIsAnError() throws Exception {
		RawStompSocket alice = connect("alice");
		alice.sendText("SEND\ndestination:/app/nobody.here\nreceipt:sent\n\nhello\0");
		String answer = alice.readFrame();
		assertThat(answer).startsWith("ERROR");
		assertThat(RawStompSocket.header(answer, "message"))
			.isEqualTo("no backend: /app/nobody.here (no queue is bound to courier.inbound with key nobody.here)");
		assertThat(RawStompSocket.header(answer, "receipt-id")).isEqualTo("sent");
	}

	@Test
	void aRequestWaitsInItsQueueWhileTheBackendIsStopped() throws Exception {
		this.backend.stop();
		RawStompSocket alice = connect("carol");
		subscribe(alice, "/user/queue/replies");
		alice.sendText("SEND\ndestination:/app/echo.later\nreply-to:/user/queue/replies\nreceipt:sent\n\nlater\0");
		assertThat(alice.readFrame()).as("confirmed: it is in the backend's queue").startsWith("RECEIPT");
		assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> alice.readFrame(1_000));

		this.backend.start();

		assertThat(RawStompSocket.body(alice.readFrame())).isEqualTo("LATER for carol");
	}

	@Test
	void repliesGoOnlyToTheSendersOwnUserQueues() throws Exception {
		RawStompSocket mallory = connect("mallory");
		mallory.sendText("SEND\ndestination:/app/echo.x\nreply-to:/topic/public.news\n\nspam\0");
		assertThat(RawStompSocket.header(mallory.readFrame(), "message")).isEqualTo("forbidden header: reply-to on SEND "
				+ "/app/echo.x (replies go to one of the sender's own /user/queue/... destinations)");
	}

	private RawStompSocket connect(String user) throws IOException {
		RawStompSocket socket = RawStompSocket.connect(this.port, this.idp.token(user));
		this.sockets.add(socket);
		return socket;
	}

	private static void subscribe(RawStompSocket socket, String destination) throws IOException {
		socket.sendFrame("SUBSCRIBE", "id:s", "destination:" + destination, "receipt:ready");
		assertThat(socket.readFrame()).startsWith("RECEIPT");
	}

}
