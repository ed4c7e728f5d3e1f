package io.courier.gateway.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.orders.OrderProperties;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RabbitBroker;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two attacks of issue 20, tried as an attacker would over a real socket against a
 * real RabbitMQ: a SUBSCRIBE to a topic everybody may read, with RabbitMQ headers that
 * would make the broker hand over the gateway's own dead-letter queue; and a client
 * sending every frame RabbitMQ could refuse, while 100 other sessions on the node must
 * stay connected and keep receiving. The rule table opens {@code /queue/**} too, so that
 * frames the broker does refuse reach it (on the attacker's own connection), and allows
 * some broker headers on {@code /queue/test.headers.*}.
 */
@TestPropertySource(properties = { "courier.limits.handshake-rate=1000", "courier.limits.handshake-burst=1000",
		"courier.security.rules[0].frame=SUBSCRIBE", "courier.security.rules[0].pattern=/topic/public.**",
		"courier.security.rules[0].access=AUTHENTICATED", "courier.security.rules[1].frame=SUBSCRIBE",
		"courier.security.rules[1].pattern=/queue/test.headers.*", "courier.security.rules[1].access=AUTHENTICATED",
		"courier.security.rules[1].broker-headers=prefetch-count,x-queue-type",
		"courier.security.rules[2].frame=SUBSCRIBE", "courier.security.rules[2].pattern=/queue/**",
		"courier.security.rules[2].access=AUTHENTICATED", "courier.security.rules[3].frame=SEND",
		"courier.security.rules[3].pattern=/queue/test.headers.*", "courier.security.rules[3].access=AUTHENTICATED",
		"courier.security.rules[3].broker-headers=expiration,x-queue-type", "courier.security.rules[4].frame=SEND",
		"courier.security.rules[4].pattern=/queue/**", "courier.security.rules[4].access=AUTHENTICATED",
		"courier.security.rules[5].frame=SEND", "courier.security.rules[5].pattern=/topic/public.**",
		"courier.security.rules[5].access=AUTHENTICATED", "courier.security.rules[6].frame=SUBSCRIBE",
		"courier.security.rules[6].pattern=/user/queue/**", "courier.security.rules[6].access=AUTHENTICATED" })
class BrokerHeaderAttackIntegrationTests extends GatewayIntegrationTest {

	private static final int VICTIMS = 100;

	@Autowired
	private RabbitTemplate rabbit;

	@Autowired
	private RabbitAdmin admin;

	private final List<RawStompSocket> sockets = new ArrayList<>();

	private final long run = System.nanoTime();

	@AfterEach
	void cleanUp() throws IOException {
		for (RawStompSocket socket : this.sockets) {
			socket.close();
		}
		this.admin.purgeQueue(OrderProperties.DEAD_LETTER_QUEUE, false);
		for (String name : List.of("a", "b", "c", "p")) {
			this.admin.deleteQueue("test.headers." + name + "-" + this.run);
		}
	}

	/**
	 * Attack 1: x-queue-name on a public topic named the gateway's dead-letter queue and
	 * drained it.
	 */
	@Test
	void aSubscribeCannotNameAnInternalQueue() throws Exception {
		this.admin.purgeQueue(OrderProperties.DEAD_LETTER_QUEUE, false);
		this.rabbit.convertAndSend("", OrderProperties.DEAD_LETTER_QUEUE, "not json: secret of another user");

		RawStompSocket mallory = connect("mallory");
		mallory.sendFrame("SUBSCRIBE", "id:sub-0", "destination:/topic/public.x",
				"x-queue-name:" + OrderProperties.DEAD_LETTER_QUEUE, "durable:true", "auto-delete:false", "receipt:r1");
		String answer = mallory.readFrame();

		assertThat(answer).startsWith("ERROR").doesNotContain("secret");
		assertThat(errorMessage(answer)).isEqualTo("forbidden header: x-queue-name on SUBSCRIBE /topic/public.x"
				+ " (a RabbitMQ header no rule allows here)");
		assertThat(header(answer, "receipt-id")).isEqualTo("r1");
		assertThat(mallory.awaitServerClose(5_000)).isTrue();
		assertThat(this.admin.getQueueInfo(OrderProperties.DEAD_LETTER_QUEUE).getMessageCount()).isEqualTo(1);
	}

	/**
	 * Attack 2: one client sends every variant known to make RabbitMQ send an ERROR
	 * (which closes the connection it came on); each gets its documented answer, and the
	 * 100 other sessions, spread over all the node's pooled broker connections, stay
	 * connected and keep receiving.
	 */
	@Test
	void noClientClosesAnotherClientsSession() throws Exception {
		List<RawStompSocket> victims = new ArrayList<>();
		for (int i = 0; i < VICTIMS; i++) {
			RawStompSocket victim = connect("victim-" + i);
			victim.sendFrame("SUBSCRIBE", "id:sub-0", "destination:/topic/public.fanout", "receipt:subscribed");
			assertThat(victim.readFrame()).startsWith("RECEIPT");
			if (i % 2 == 0) { // half of them also on a user queue: a dedicated
								// subscription on a pooled connection
				victim.sendFrame("SUBSCRIBE", "id:sub-1", "destination:/user/queue/updates", "receipt:subscribed");
				assertThat(victim.readFrame()).startsWith("RECEIPT");
			}
			victims.add(victim);
		}

		String notAllowed = " (a RabbitMQ header no rule allows here)";
		String notServed = " (not served: Courier serves /app/, /user/, /topic/ and /queue/ destinations)";
		long run = this.run;
		List<Attack> attacks = List.of(
				// refused by the gateway before anything reaches RabbitMQ
				new Attack("forbidden header: x-queue-name on SUBSCRIBE /topic/public.x" + notAllowed, "SUBSCRIBE",
						"id:s", "destination:/topic/public.x", "x-queue-name:amq.evil"),
				new Attack("forbidden header: x-queue-name on SUBSCRIBE /topic/public.x" + notAllowed, "SUBSCRIBE",
						"id:s", "destination:/topic/public.x", "x-queue-name:courier.order-events"),
				new Attack("forbidden header: prefetch-count on SUBSCRIBE /topic/public.x" + notAllowed, "SUBSCRIBE",
						"id:s", "destination:/topic/public.x", "prefetch-count:abc"),
				new Attack("forbidden header: x-stream-offset on SUBSCRIBE /topic/public.x" + notAllowed, "SUBSCRIBE",
						"id:s", "destination:/topic/public.x", "x-stream-offset:first"),
				new Attack("invalid frame: ack mode bogus (auto, client or client-individual)", "SUBSCRIBE", "id:s",
						"destination:/topic/public.x", "ack:bogus"),
				new Attack("invalid frame: SUBSCRIBE needs an id and a destination", "SUBSCRIBE",
						"destination:/topic/public.x"),
				new Attack("invalid destination: /topic/public.a/b (a name may not contain '/')", "SUBSCRIBE", "id:s",
						"destination:/topic/public.a/b"),
				new Attack("forbidden destination: /exchange/missing/k" + notServed, "SUBSCRIBE", "id:s",
						"destination:/exchange/missing/k"),
				new Attack("forbidden destination: /amq/queue/courier.order-events.dlq" + notServed, "SUBSCRIBE",
						"id:s", "destination:/amq/queue/courier.order-events.dlq"),
				new Attack("forbidden destination: /temp-queue/x" + notServed, "SUBSCRIBE", "id:s",
						"destination:/temp-queue/x"),
				new Attack(
						"forbidden destination: /queue/courier.order-events (queues courier.* are reserved for the gateway)",
						"SUBSCRIBE", "id:s", "destination:/queue/courier.order-events"),
				new Attack("forbidden destination: /queue/amq.evil (queues amq.* are reserved for RabbitMQ)", "SEND",
						"destination:/queue/amq.evil"),
				new Attack("forbidden frame: MESSAGE (only a server sends it)", "MESSAGE",
						"destination:/topic/public.fanout", "message-id:1", "subscription:sub-0"),
				new Attack("invalid frame: BEGIN needs a transaction header", "BEGIN"),
				new Attack("invalid frame: COMMIT in transaction nope, which is not open", "COMMIT",
						"transaction:nope"),
				new Attack("invalid frame: ABORT in transaction nope, which is not open", "ABORT", "transaction:nope"),
				new Attack("invalid frame: SEND in transaction nope, which is not open", "SEND",
						"destination:/topic/public.x", "transaction:nope"),
				new Attack("invalid frame: ACK of a message this session has not been sent or has settled: nope", "ACK",
						"id:nope"),
				new Attack("forbidden header: expiration on SEND /topic/public.x" + notAllowed, "SEND",
						"destination:/topic/public.x", "expiration:abc"),
				new Attack("forbidden header: user-id on SEND /topic/public.x" + notAllowed, "SEND",
						"destination:/topic/public.x", "user-id:courier-gateway"),
				new Attack("forbidden header: persistent on SEND /topic/public.x" + notAllowed, "SEND",
						"destination:/topic/public.x", "persistent:true"),
				new Attack("forbidden header: x-queue-type on SEND /queue/nope" + notAllowed, "SEND",
						"destination:/queue/nope", "x-queue-type:bogus"),
				new Attack("forbidden header: courier-session on SEND /topic/public.x (reserved for the gateway)",
						"SEND", "destination:/topic/public.x", "courier-session:victim"),
				// reach RabbitMQ, which refuses them on the attacker's own connection
				new Attack("broker refused: access_refused", "SUBSCRIBE", "id:s", "destination:/queue/nope-" + run),
				new Attack("broker refused: access_refused", "SEND", "destination:/queue/nope-" + run),
				new Attack("broker refused: ", "SUBSCRIBE", "id:s", "destination:/queue/test.headers.a-" + run,
						"prefetch-count:abc"),
				new Attack("broker refused: ", "SEND", "destination:/queue/test.headers.b-" + run,
						"x-queue-type:bogus"),
				new Attack("broker refused: ", "SEND", "destination:/queue/test.headers.c-" + run, "expiration:abc"));

		for (int i = 0; i < attacks.size(); i++) {
			Attack attack = attacks.get(i);
			RawStompSocket attacker = connect("mallory-" + i);
			List<String> headers = new ArrayList<>(List.of(attack.headers()));
			headers.add("receipt:attack-" + i);
			attacker.sendFrame(attack.command(), headers.toArray(String[]::new));
			String answer = attacker.readFrame();
			assertThat(answer).as(attack.toString()).startsWith("ERROR");
			assertThat(errorMessage(answer)).as(attack.toString()).startsWith(attack.expected());
			assertThat(attacker.awaitServerClose(5_000)).as(attack + ": closed after the ERROR").isTrue();
		}
		// A duplicated subscription id, on a live subscription
		RawStompSocket duplicate = connect("mallory-duplicate");
		duplicate.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/public.x", "receipt:first");
		assertThat(duplicate.readFrame()).startsWith("RECEIPT");
		duplicate.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/public.y");
		assertThat(errorMessage(duplicate.readFrame())).isEqualTo("invalid frame: duplicated subscription id s");

		// Every victim is still connected and receives what is published now, on the
		// topic and on its user queue.
		this.rabbit.convertAndSend("amq.topic", "public.fanout", "still-here");
		for (int i = 0; i < VICTIMS; i += 2) {
			this.rabbit.convertAndSend("courier.user", "queue.updates.u." + userKey("victim-" + i), "user-" + i);
		}
		for (int i = 0; i < VICTIMS; i++) {
			RawStompSocket victim = victims.get(i);
			List<String> bodies = new ArrayList<>();
			bodies.add(body(victim.readFrame()));
			if (i % 2 == 0) {
				bodies.add(body(victim.readFrame()));
			}
			assertThat(bodies).as("victim " + i)
				.containsExactlyInAnyOrderElementsOf(
						(i % 2 == 0) ? List.of("still-here", "user-" + i) : List.of("still-here"));
		}
	}

	/**
	 * A rule's broker-headers reach RabbitMQ: prefetch-count 1 holds back the second
	 * message until the first ACK.
	 */
	@Test
	void aBrokerHeaderARuleAllowsTakesEffect() throws Exception {
		String queue = "test.headers.p-" + this.run;
		RawStompSocket worker = connect("worker");
		worker.sendFrame("SUBSCRIBE", "id:w", "destination:/queue/" + queue, "ack:client-individual",
				"prefetch-count:1", "receipt:subscribed");
		assertThat(worker.readFrame()).startsWith("RECEIPT");
		this.rabbit.invoke((operations) -> { // one channel, so RabbitMQ keeps the order
			operations.convertAndSend("", queue, "one");
			operations.convertAndSend("", queue, "two");
			return null;
		});

		String first = worker.readFrame();
		assertThat(body(first)).isEqualTo("one");
		// Without the prefetch, RabbitMQ would push "two" at once: it stays ready in the
		// queue instead.
		await().during(Duration.ofMillis(800))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.admin.getQueueInfo(queue).getMessageCount() == 1);
		worker.sendFrame("ACK", "id:" + header(first, "ack"));
		assertThat(body(worker.readFrame())).isEqualTo("two");
	}

	/**
	 * The relay's broker user cannot reach the gateway's own queues even when talking to
	 * RabbitMQ directly.
	 */
	@Test
	void theRelaysBrokerUserCannotReadTheGatewaysQueues() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", 61613)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			out.write(("CONNECT\naccept-version:1.2\nhost:" + RabbitBroker.vhost()
					+ "\nlogin:courier-relay\npasscode:courier-relay\n\n\0")
				.getBytes(StandardCharsets.UTF_8));
			assertThat(readTcpFrame(in)).startsWith("CONNECTED");
			out.write(("SUBSCRIBE\nid:0\ndestination:/amq/queue/" + OrderProperties.DEAD_LETTER_QUEUE
					+ "\nreceipt:r\n\n\0")
				.getBytes(StandardCharsets.UTF_8));
			String answer = readTcpFrame(in);
			assertThat(answer).startsWith("ERROR").contains("access_refused");
		}
	}

	private RawStompSocket connect(String user) throws IOException {
		RawStompSocket socket = RawStompSocket.connect(this.port, this.idp.token(user));
		this.sockets.add(socket);
		return socket;
	}

	private static String userKey(String user) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(user.getBytes(StandardCharsets.UTF_8));
	}

	private static String header(String frame, String name) {
		return RawStompSocket.header(frame, name);
	}

	private static String errorMessage(String frame) {
		return RawStompSocket.header(frame, "message");
	}

	private static String body(String frame) {
		return RawStompSocket.body(frame);
	}

	private static String readTcpFrame(InputStream in) throws IOException {
		StringBuilder frame = new StringBuilder();
		for (int b = in.read(); b > 0 || (b == 0 && frame.toString().isBlank()); b = in.read()) {
			if (b > 0) {
				frame.append((char) b);
			}
		}
		return frame.toString().strip();
	}

	private record Attack(String expected, String command, String... headers) {

		@Override
		public String toString() {
			return this.command + " " + String.join(" ", this.headers);
		}

	}

}
