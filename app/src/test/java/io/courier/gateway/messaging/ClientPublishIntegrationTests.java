package io.courier.gateway.messaging;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.GatewayNodes;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Clients publish where a rule grants SEND: two users in a room, on two gateway nodes,
 * exchange messages, and the receiver reads who sent each from headers the gateway
 * stamped ({@code courier-sender} = the sender's {@code sub}); a client's own
 * {@code courier-*} header is refused and never arrives; a user whose token does not list
 * the room is refused on SEND and SUBSCRIBE.
 */
@TestPropertySource(properties = { "courier.security.rules[0].frame=SUBSCRIBE",
		"courier.security.rules[0].pattern=/topic/chat.{room}", "courier.security.rules[0].access=CLAIM",
		"courier.security.rules[0].claim=rooms", "courier.security.rules[1].frame=SEND",
		"courier.security.rules[1].pattern=/topic/chat.{room}", "courier.security.rules[1].access=CLAIM",
		"courier.security.rules[1].claim=rooms", "courier.security.rules[2].frame=SEND",
		"courier.security.rules[2].pattern=/user/*/queue/signal", "courier.security.rules[2].access=AUTHENTICATED",
		"courier.security.rules[3].frame=SUBSCRIBE", "courier.security.rules[3].pattern=/user/queue/signal",
		"courier.security.rules[3].access=AUTHENTICATED" })
class ClientPublishIntegrationTests extends GatewayIntegrationTest {

	private static final Map<String, Object> RULES = Map.ofEntries(
			Map.entry("courier.security.rules[0].frame", "SUBSCRIBE"),
			Map.entry("courier.security.rules[0].pattern", "/topic/chat.{room}"),
			Map.entry("courier.security.rules[0].access", "CLAIM"),
			Map.entry("courier.security.rules[0].claim", "rooms"), Map.entry("courier.security.rules[1].frame", "SEND"),
			Map.entry("courier.security.rules[1].pattern", "/topic/chat.{room}"),
			Map.entry("courier.security.rules[1].access", "CLAIM"),
			Map.entry("courier.security.rules[1].claim", "rooms"), Map.entry("courier.security.rules[2].frame", "SEND"),
			Map.entry("courier.security.rules[2].pattern", "/user/*/queue/signal"),
			Map.entry("courier.security.rules[2].access", "AUTHENTICATED"),
			Map.entry("courier.security.rules[3].frame", "SUBSCRIBE"),
			Map.entry("courier.security.rules[3].pattern", "/user/queue/signal"),
			Map.entry("courier.security.rules[3].access", "AUTHENTICATED"));

	private static ConfigurableApplicationContext nodeB;

	private final List<RawStompSocket> sockets = new ArrayList<>();

	@BeforeAll
	static void startNodeB() {
		nodeB = GatewayNodes.start("chat-b", RULES);
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
	void twoUsersOnTwoNodesTalkAndTheReceiverKnowsWhoSpoke() throws Exception {
		String room = "room" + System.nanoTime();
		RawStompSocket alice = connect(this.port, "alice", List.of(room));
		RawStompSocket bob = connect(GatewayNodes.port(nodeB), "bob", List.of("ops", room));
		subscribe(alice, "/topic/chat." + room);
		subscribe(bob, "/topic/chat." + room);
		Instant before = Instant.now();

		alice.sendText("SEND\ndestination:/topic/chat." + room + "\ncontent-type:text/plain\n\nhello bob\0");

		String message = bob.readFrame();
		assertThat(message).startsWith("MESSAGE");
		assertThat(RawStompSocket.body(message)).isEqualTo("hello bob");
		assertThat(RawStompSocket.header(message, "courier-sender")).isEqualTo("alice");
		assertThat(RawStompSocket.header(message, "courier-sender-session")).isNotEmpty();
		assertThat(Instant.parse(RawStompSocket.header(message, "courier-at"))).isBetween(before.minusSeconds(1),
				Instant.now());
		assertThat(RawStompSocket.body(alice.readFrame())).as("the sender is subscribed too").isEqualTo("hello bob");

		bob.sendText("SEND\ndestination:/topic/chat." + room + "\n\nhi alice\0");
		String answer = alice.readFrame();
		assertThat(RawStompSocket.body(answer)).isEqualTo("hi alice");
		assertThat(RawStompSocket.header(answer, "courier-sender")).isEqualTo("bob");
	}

	/**
	 * WebRTC-style signaling: a user sends to another's user queue, on another node; only
	 * that user receives.
	 */
	@Test
	void aUserSignalsAnotherThroughTheirUserQueue() throws Exception {
		String callee = "callee-" + System.nanoTime();
		RawStompSocket bob = connect(GatewayNodes.port(nodeB), callee, List.of());
		RawStompSocket carol = connect(GatewayNodes.port(nodeB), "carol-" + System.nanoTime(), List.of());
		subscribe(bob, "/user/queue/signal");
		subscribe(carol, "/user/queue/signal");
		RawStompSocket alice = connect(this.port, "alice", List.of());

		alice.sendText("SEND\ndestination:/user/" + callee + "/queue/signal\ncontent-type:application/json\n\n"
				+ "{\"offer\":\"sdp\"}\0");

		String offer = bob.readFrame();
		assertThat(RawStompSocket.body(offer)).isEqualTo("{\"offer\":\"sdp\"}");
		assertThat(RawStompSocket.header(offer, "courier-sender")).isEqualTo("alice");
		assertThat(RawStompSocket.header(offer, "destination")).isEqualTo("/user/queue/signal");
		assertThatExceptionOfType(SocketTimeoutException.class).as("nothing reaches carol")
			.isThrownBy(() -> carol.readFrame(1_000));
	}

	@Test
	void aForgedSenderIsRefusedAndNeverArrives() throws Exception {
		String room = "room" + System.nanoTime();
		RawStompSocket bob = connect(GatewayNodes.port(nodeB), "bob", List.of(room));
		subscribe(bob, "/topic/chat." + room);
		RawStompSocket mallory = connect(this.port, "mallory", List.of(room));

		mallory.sendText("SEND\ndestination:/topic/chat." + room + "\ncourier-sender:alice\n\nI am alice\0");

		assertThat(RawStompSocket.header(mallory.readFrame(), "message")).isEqualTo(
				"forbidden header: courier-sender on " + "SEND /topic/chat." + room + " (reserved for the gateway)");
		assertThatExceptionOfType(SocketTimeoutException.class).as("nothing reaches bob")
			.isThrownBy(() -> bob.readFrame(1_000));
	}

	@Test
	void aUserWhoseTokenDoesNotListTheRoomIsRefused() throws Exception {
		String room = "room" + System.nanoTime();
		String reason = " (" + room + " is not in the token's rooms claim)";
		RawStompSocket subscriber = connect(this.port, "eve", List.of("ops"));
		subscriber.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/chat." + room);
		assertThat(RawStompSocket.header(subscriber.readFrame(), "message"))
			.isEqualTo("forbidden destination: /topic/chat." + room + reason);
		RawStompSocket sender = connect(GatewayNodes.port(nodeB), "eve", List.of("ops"));
		sender.sendText("SEND\ndestination:/topic/chat." + room + "\n\nlet me in\0");
		assertThat(RawStompSocket.header(sender.readFrame(), "message"))
			.isEqualTo("forbidden destination: /topic/chat." + room + reason);
	}

	private RawStompSocket connect(int port, String user, List<String> rooms) throws IOException {
		RawStompSocket socket = RawStompSocket.connect(port, this.idp.tokenWithClaims(user, Map.of("rooms", rooms)));
		this.sockets.add(socket);
		return socket;
	}

	private static void subscribe(RawStompSocket socket, String destination) throws IOException {
		socket.sendFrame("SUBSCRIBE", "id:s", "destination:" + destination, "receipt:ready");
		assertThat(socket.readFrame()).startsWith("RECEIPT");
	}

}
