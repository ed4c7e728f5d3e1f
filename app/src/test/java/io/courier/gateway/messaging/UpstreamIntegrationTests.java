package io.courier.gateway.messaging;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import io.courier.examples.backend.ExampleBackendApplication;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Request/reply with the example backend of {@code examples/spring-backend} (Spring AMQP,
 * its own broker user): it binds its queue to {@code courier.inbound} with
 * {@code echo.#}, reads the sender from {@code courier-sender}, and answers to the
 * exchange and key in {@code courier-reply-exchange} / {@code courier-reply-key}, copying
 * the correlation id. The answer reaches only the sender; a SEND no backend is bound for
 * is an ERROR; while the backend is stopped the request waits in its queue and is
 * answered once it is back.
 */
@TestPropertySource(properties = "courier.upstream.enabled=true")
class UpstreamIntegrationTests extends GatewayIntegrationTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private ConfigurableApplicationContext backend;

	private final List<RawStompSocket> sockets = new ArrayList<>();

	/**
	 * The example as its README runs it, on the test vhost, with no configuration file
	 * but these arguments.
	 */
	static ConfigurableApplicationContext startBackend() {
		return new SpringApplicationBuilder(ExampleBackendApplication.class).web(WebApplicationType.NONE)
			.run("--spring.config.name=courier-example-backend-test", "--spring.rabbitmq.host=127.0.0.1",
					"--spring.rabbitmq.virtual-host=courier-test", "--spring.rabbitmq.username=courier-example",
					"--spring.rabbitmq.password=courier-example", "--spring.jmx.enabled=false",
					"--management.endpoints.enabled-by-default=false");
	}

	@BeforeEach
	void start() {
		this.backend = startBackend();
	}

	@AfterEach
	void stop() throws IOException {
		if (this.backend != null) {
			this.backend.close();
		}
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

		// The RECEIPT (after RabbitMQ's confirm) and the backend's answer race each
		// other.
		List<String> frames = List.of(alice.readFrame(), alice.readFrame());
		String receipt = frames.stream().filter((frame) -> frame.startsWith("RECEIPT")).findFirst().orElseThrow();
		assertThat(RawStompSocket.header(receipt, "receipt-id")).isEqualTo("sent");
		String answer = frames.stream().filter((frame) -> frame.startsWith("MESSAGE")).findFirst().orElseThrow();
		JsonNode body = json.readTree(RawStompSocket.body(answer));
		assertThat(body.path("echo").asString()).isEqualTo("HELLO");
		assertThat(body.path("to").asString()).as("the sender the gateway stamped").isEqualTo("alice");
		assertThat(body.path("route").asString()).isEqualTo("echo.upper");
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
		this.backend.close();
		this.backend = null;
		RawStompSocket alice = connect("carol");
		subscribe(alice, "/user/queue/replies");
		alice.sendText("SEND\ndestination:/app/echo.later\nreply-to:/user/queue/replies\nreceipt:sent\n\nlater\0");
		assertThat(alice.readFrame()).as("confirmed: it is in the backend's queue").startsWith("RECEIPT");
		assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> alice.readFrame(1_000));

		this.backend = startBackend();

		JsonNode answer = json.readTree(RawStompSocket.body(alice.readFrame()));
		assertThat(answer.path("echo").asString()).isEqualTo("LATER");
		assertThat(answer.path("to").asString()).isEqualTo("carol");
	}

	@Test
	void repliesGoOnlyToTheSendersOwnUserQueues() throws Exception {
		RawStompSocket mallory = connect("mallory");
		mallory.sendText("SEND\ndestination:/app/echo.x\nreply-to:/topic/public.news\n\nspam\0");
		assertThat(RawStompSocket.header(mallory.readFrame(), "message"))
			.isEqualTo("forbidden header: reply-to on SEND "
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
