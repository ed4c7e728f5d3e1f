package io.courier.gateway.conformance;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RabbitBroker;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STOMP 1.2 through Courier against RabbitMQ Web-STOMP direct, in the same run: each case
 * drives raw frames over WebSocket on both and reduces what the client saw to one line;
 * the lines must be equal, or the difference must be one docs/CLIENT-PROTOCOL.md
 * documents (then Courier's own line is asserted). The side-by-side table is printed and
 * written to {@code target/stomp-conformance.md}.
 */
@TestPropertySource(properties = { "courier.security.rules[0].frame=SUBSCRIBE",
		"courier.security.rules[0].pattern=/topic/test.conf-*", "courier.security.rules[0].access=AUTHENTICATED",
		"courier.security.rules[1].frame=SEND", "courier.security.rules[1].pattern=/topic/test.conf-*",
		"courier.security.rules[1].access=AUTHENTICATED", "courier.security.rules[2].frame=SUBSCRIBE",
		"courier.security.rules[2].pattern=/queue/test.conf-*", "courier.security.rules[2].access=AUTHENTICATED",
		"courier.security.rules[3].frame=SEND", "courier.security.rules[3].pattern=/queue/test.conf-*",
		"courier.security.rules[3].access=AUTHENTICATED", "courier.client-heartbeat.send=1s",
		"courier.client-heartbeat.receive=1s" })
class StompConformanceTests extends GatewayIntegrationTest {

	/**
	 * Web-STOMP direct's broker user, made by this test: every permission on the test
	 * vhost.
	 */
	static final String DIRECT_USER = "courier-conformance";

	static final int WEB_STOMP_PORT = 15674;

	/**
	 * Where Courier differs on purpose: case → Courier's line, as docs/CLIENT-PROTOCOL.md
	 * explains it. Every other case must read the same on both.
	 */
	static final Map<String, String> DOCUMENTED = Map.of(
			// RabbitMQ 3.10 Web-STOMP closes the WebSocket ("STOMP died") without sending
			// the RECEIPT
			"DISCONNECT with receipt", "RECEIPT bye, then closed=true",
			// ... and without the ERROR frame it sends over plain STOMP
			"an ERROR ends the session and its subscriptions", "ERROR, then closed=true",
			// a text WebSocket message must be UTF-8 (RFC 6455; browsers close the socket
			// with 1007 otherwise)
			"binary body (256 bytes, octet-stream)",
			"received 256 bytes, equal=true, in a binary WebSocket message: true");

	private static final AtomicLong names = new AtomicLong(System.nanoTime());

	private final List<RawStompSocket> sockets = new ArrayList<>();

	interface Peer {

		String name();

		String[] connectHeaders();

		int port();

	}

	@FunctionalInterface
	interface Case {

		String run(Peer peer) throws Exception;

	}

	@BeforeAll
	static void directUser() {
		RabbitBroker.ensureUser(DIRECT_USER, DIRECT_USER);
	}

	@AfterEach
	void close() throws IOException {
		for (RawStompSocket socket : this.sockets) {
			socket.close();
		}
	}

	@Test
	void courierAnswersEveryCaseAsRabbitMqDoes() throws Exception {
		Peer courier = new Peer() {
			public String name() {
				return "courier";
			}

			public String[] connectHeaders() {
				return new String[] { "accept-version:1.2", "host:localhost",
						"Authorization:Bearer " + StompConformanceTests.this.idp.token("conformance") };
			}

			public int port() {
				return StompConformanceTests.this.port;
			}
		};
		Peer direct = new Peer() {
			public String name() {
				return "direct";
			}

			public String[] connectHeaders() {
				return new String[] { "accept-version:1.2", "host:" + RabbitBroker.vhost(), "login:" + DIRECT_USER,
						"passcode:" + DIRECT_USER };
			}

			public int port() {
				return WEB_STOMP_PORT;
			}
		};
		Map<String, String[]> table = new LinkedHashMap<>();
		cases()
			.forEach((name, test) -> table.put(name, new String[] { observe(test, direct), observe(test, courier) }));

		StringBuilder report = new StringBuilder("| case | Web-STOMP direct | Courier | |\n|---|---|---|---|\n");
		table.forEach((name, lines) -> report.append("| ")
			.append(name)
			.append(" | ")
			.append(cell(lines[0]))
			.append(" | ")
			.append(cell(lines[1]))
			.append(" | ")
			.append(lines[0].equals(lines[1]) ? "same" : DOCUMENTED.containsKey(name) ? "documented" : "DIFFERENT")
			.append(" |\n"));
		System.out.println(report);
		Path target = Path.of("target", "stomp-conformance.md");
		Files.createDirectories(target.getParent());
		Files.writeString(target, report);

		table.forEach((name, lines) -> {
			String documented = DOCUMENTED.get(name);
			if (documented != null) {
				assertThat(lines[1]).as(name + " (documented difference)\n" + report).isEqualTo(documented);
			}
			else {
				assertThat(lines[1]).as(name + ": Courier against Web-STOMP direct\n" + report).isEqualTo(lines[0]);
			}
		});
	}

	private String observe(Case test, Peer peer) {
		try {
			return test.run(peer);
		}
		catch (Exception ex) {
			return "failed: " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
		}
		finally {
			try {
				close();
			}
			catch (IOException ex) {
				// next case
			}
			this.sockets.clear();
		}
	}

	private static String cell(String line) {
		return line.replace("|", "\\|").replace("\n", "\\n");
	}

	private Map<String, Case> cases() {
		Map<String, Case> cases = new LinkedHashMap<>();
		cases.put("STOMP command connects", (peer) -> {
			RawStompSocket socket = open(peer);
			socket.sendFrame("STOMP", peer.connectHeaders());
			String answer = socket.readFrame();
			return command(answer) + " version=" + RawStompSocket.header(answer, "version");
		});
		cases.put("accept-version 1.0,1.1 negotiates 1.1", (peer) -> {
			RawStompSocket socket = open(peer);
			String[] headers = peer.connectHeaders().clone();
			headers[0] = "accept-version:1.0,1.1";
			socket.sendFrame("CONNECT", headers);
			String answer = socket.readFrame();
			return command(answer) + " version=" + RawStompSocket.header(answer, "version");
		});
		cases.put("receipts on SUBSCRIBE, SEND, UNSUBSCRIBE", (peer) -> {
			RawStompSocket socket = connect(peer);
			String topic = topic();
			socket.sendFrame("SUBSCRIBE", "id:s", "destination:" + topic, "receipt:r1");
			String first = RawStompSocket.header(socket.readFrame(), "receipt-id");
			socket.sendFrame("SEND", "destination:" + topic(), "receipt:r2");
			String second = RawStompSocket.header(socket.readFrame(), "receipt-id");
			socket.sendFrame("UNSUBSCRIBE", "id:s", "receipt:r3");
			String third = RawStompSocket.header(socket.readFrame(), "receipt-id");
			return first + "," + second + "," + third;
		});
		cases.put("DISCONNECT with receipt", (peer) -> {
			RawStompSocket socket = connect(peer);
			socket.sendFrame("DISCONNECT", "receipt:bye");
			String answer = socket.readFrame();
			return command(answer) + " " + RawStompSocket.header(answer, "receipt-id") + ", then closed="
					+ socket.awaitServerClose(3_000);
		});
		cases.put("header escaping", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			publisher.sendText("SEND\ndestination:" + topic + "\napp-note:a\\cb\\nc\\\\d\n\nx\0");
			return "app-note=" + RawStompSocket.header(subscriber.readFrame(), "app-note").replace("\n", "<LF>");
		});
		cases.put("content-length with NULs in the body", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			publisher.sendText("SEND\ndestination:" + topic + "\ncontent-length:7\n\nab\0cd\0e\0");
			return "body=" + Arrays.toString(body(subscriber.readFrameBytes()));
		});
		cases.put("binary body (256 bytes, octet-stream)", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			byte[] bytes = new byte[256];
			for (int i = 0; i < bytes.length; i++) {
				bytes[i] = (byte) i;
			}
			byte[] head = ("SEND\ndestination:" + topic
					+ "\ncontent-type:application/octet-stream\ncontent-length:256\n\n")
				.getBytes(StandardCharsets.UTF_8);
			byte[] frame = new byte[head.length + bytes.length + 1];
			System.arraycopy(head, 0, frame, 0, head.length);
			System.arraycopy(bytes, 0, frame, head.length, bytes.length);
			publisher.sendBinary(frame);
			byte[] received = body(subscriber.readFrameBytes());
			return "received " + received.length + " bytes, equal=" + Arrays.equals(bytes, received)
					+ ", in a binary WebSocket message: " + subscriber.lastFrameWasBinary();
		});
		cases.put("large frame (60,000-byte body)", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			publisher.sendText("SEND\ndestination:" + topic + "\n\n" + "x".repeat(60_000) + "\0");
			return "received body of " + RawStompSocket.body(subscriber.readFrame()).length() + " bytes";
		});
		cases.put("two frames in one WebSocket message", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			publisher.sendText("SEND\ndestination:" + topic + "\n\none\0SEND\ndestination:" + topic + "\n\ntwo\0");
			return RawStompSocket.body(subscriber.readFrame()) + "," + RawStompSocket.body(subscriber.readFrame());
		});
		cases.put("one frame in two WebSocket messages", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			publisher.sendText("SEND\ndestination:" + topic + "\n\nhal");
			publisher.sendText("ves\0");
			return RawStompSocket.body(subscriber.readFrame());
		});
		cases.put("a frame without its NUL waits for it", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			publisher.sendText("SEND\ndestination:" + topic + "\ncontent-type:text/plain\n\nno end yet");
			String before = nothingWithin(subscriber, 1_000);
			publisher.sendText("\0");
			return before + ", then " + RawStompSocket.body(subscriber.readFrame());
		});
		cases.put("server heart-beats at the negotiated interval", (peer) -> {
			RawStompSocket socket = connect(peer, "heart-beat:0,1000");
			long deadline = System.currentTimeMillis() + 3_500;
			int beats = 0;
			while (System.currentTimeMillis() < deadline) {
				try {
					if (socket.readFrameOrHeartbeat(500).equals("\n")) {
						beats++;
					}
				}
				catch (SocketTimeoutException ex) {
					// keep counting
				}
			}
			return "at least 2 heart-beats in 3.5 s: " + (beats >= 2);
		});
		cases.put("a client that stops heart-beating is disconnected", (peer) -> {
			RawStompSocket socket = connect(peer, "heart-beat:1000,0");
			return "closed within 6 s: " + socket.awaitServerClose(6_000);
		});
		cases.put("NACK on client-individual redelivers", (peer) -> {
			String queue = queue();
			RawStompSocket consumer = subscribed(peer, queue, "client-individual");
			RawStompSocket producer = connect(peer);
			producer.sendText("SEND\ndestination:" + queue + "\n\nm1\0");
			String first = consumer.readFrame();
			consumer.sendFrame("NACK", "id:" + RawStompSocket.header(first, "ack"), "receipt:n");
			List<String> next = List.of(consumer.readFrame(), consumer.readFrame());
			String receipt = next.stream()
				.filter((f) -> f.startsWith("RECEIPT"))
				.findFirst()
				.map((f) -> "RECEIPT")
				.orElse("no RECEIPT");
			String again = next.stream().filter((f) -> f.startsWith("MESSAGE")).findFirst().orElse("none\n\n");
			return RawStompSocket.body(first) + ", NACK " + receipt + ", then " + RawStompSocket.body(again)
					+ " (redelivered=" + RawStompSocket.header(again, "redelivered") + ")";
		});
		cases.put("unacked message redelivered after the consumer drops", (peer) -> {
			String queue = queue();
			RawStompSocket first = subscribed(peer, queue, "client");
			RawStompSocket producer = connect(peer);
			producer.sendText("SEND\ndestination:" + queue + "\n\nkeep me\0");
			String got = RawStompSocket.body(first.readFrame());
			first.close();
			RawStompSocket second = subscribed(peer, queue, "client");
			return got + " then " + RawStompSocket.body(second.readFrame());
		});
		cases.put("no redelivery after ACK", (peer) -> {
			String queue = queue();
			RawStompSocket first = subscribed(peer, queue, "client");
			RawStompSocket producer = connect(peer);
			producer.sendText("SEND\ndestination:" + queue + "\n\ndone\0");
			String message = first.readFrame();
			first.sendFrame("ACK", "id:" + RawStompSocket.header(message, "ack"), "receipt:acked");
			String receipt = command(first.readFrame());
			first.close();
			RawStompSocket second = subscribed(peer, queue, "client");
			return receipt + ", then " + nothingWithin(second, 1_500);
		});
		cases.put("transaction: nothing before COMMIT, all after", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			publisher.sendFrame("BEGIN", "transaction:t1", "receipt:b");
			String begun = command(publisher.readFrame());
			publisher.sendText("SEND\ndestination:" + topic + "\ntransaction:t1\n\nin tx\0");
			String before = nothingWithin(subscriber, 700);
			publisher.sendFrame("COMMIT", "transaction:t1", "receipt:c");
			String receipt = command(publisher.readFrame());
			return "BEGIN " + begun + ", " + before + ", COMMIT " + receipt + ", then "
					+ RawStompSocket.body(subscriber.readFrame());
		});
		cases.put("transaction: ABORT sends nothing", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			publisher.sendFrame("BEGIN", "transaction:t2");
			publisher.sendText("SEND\ndestination:" + topic + "\ntransaction:t2\n\naborted\0");
			publisher.sendFrame("ABORT", "transaction:t2", "receipt:a");
			return "ABORT " + command(publisher.readFrame()) + ", then " + nothingWithin(subscriber, 1_000);
		});
		cases.put("UNSUBSCRIBE then SUBSCRIBE again on a topic", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			RawStompSocket publisher = connect(peer);
			publisher.sendText("SEND\ndestination:" + topic + "\n\nm1\0");
			String first = RawStompSocket.body(subscriber.readFrame());
			subscriber.sendFrame("UNSUBSCRIBE", "id:s", "receipt:u");
			subscriber.readFrame();
			publisher.sendText("SEND\ndestination:" + topic + "\nreceipt:p2\n\nm2\0");
			publisher.readFrame();
			String between = nothingWithin(subscriber, 700);
			subscriber.sendFrame("SUBSCRIBE", "id:s2", "destination:" + topic, "receipt:s2");
			subscriber.readFrame();
			publisher.sendText("SEND\ndestination:" + topic + "\n\nm3\0");
			String next = subscriber.readFrame();
			return first + ", " + between + ", " + RawStompSocket.body(next) + " on "
					+ RawStompSocket.header(next, "subscription") + ", then " + nothingWithin(subscriber, 700);
		});
		cases.put("an ERROR in one session leaves another's subscription to the topic", (peer) -> {
			String topic = topic();
			RawStompSocket failing = subscribed(peer, topic, "auto");
			RawStompSocket staying = subscribed(peer, topic, "auto");
			failing.sendFrame("SUBSCRIBE", "id:s", "destination:" + topic());
			boolean closed = failing.awaitServerClose(3_000);
			RawStompSocket publisher = connect(peer);
			publisher.sendText("SEND\ndestination:" + topic + "\n\nstill here\0");
			return "failing one closed=" + closed + ", the other got " + RawStompSocket.body(staying.readFrame());
		});
		cases.put("an ERROR ends the session and its subscriptions", (peer) -> {
			String topic = topic();
			RawStompSocket subscriber = subscribed(peer, topic, "auto");
			subscriber.sendFrame("SUBSCRIBE", "id:s", "destination:" + topic());
			String error = command(subscriber.readFrame());
			return error + ", then closed=" + subscriber.awaitServerClose(3_000);
		});
		return cases;
	}

	private RawStompSocket open(Peer peer) throws IOException {
		RawStompSocket socket = RawStompSocket.open(peer.port(), 256 * 1024);
		this.sockets.add(socket);
		return socket;
	}

	private RawStompSocket connect(Peer peer, String... extra) throws IOException {
		List<String> headers = new ArrayList<>(List.of(peer.connectHeaders()));
		headers.addAll(List.of((extra.length > 0) ? extra : new String[] { "heart-beat:0,0" }));
		RawStompSocket socket = RawStompSocket.connectWith(peer.port(), headers.toArray(String[]::new));
		this.sockets.add(socket);
		return socket;
	}

	private RawStompSocket subscribed(Peer peer, String destination, String ack) throws IOException {
		RawStompSocket socket = connect(peer);
		socket.sendFrame("SUBSCRIBE", "id:s", "destination:" + destination, "ack:" + ack, "receipt:ready");
		String receipt = socket.readFrame();
		if (!receipt.startsWith("RECEIPT")) {
			throw new IOException("SUBSCRIBE answered " + receipt);
		}
		return socket;
	}

	private static String topic() {
		return "/topic/test.conf-" + names.incrementAndGet();
	}

	private static String queue() {
		return "/queue/test.conf-" + names.incrementAndGet();
	}

	private static String command(String frame) {
		int end = frame.indexOf('\n');
		return (end >= 0) ? frame.substring(0, end) : frame;
	}

	private static String nothingWithin(RawStompSocket socket, int millis) throws IOException {
		try {
			return "unexpected " + command(socket.readFrame(millis)) + " " + RawStompSocket.body(socket.readFrame(1));
		}
		catch (SocketTimeoutException ex) {
			return "nothing";
		}
	}

	/**
	 * The body of a MESSAGE read as bytes: {@code content-length} bytes after the blank
	 * line, else up to the NUL.
	 */
	private static byte[] body(byte[] frame) {
		int start = 0;
		for (int i = 0; i + 1 < frame.length; i++) {
			if (frame[i] == '\n' && frame[i + 1] == '\n') {
				start = i + 2;
				break;
			}
		}
		String head = new String(frame, 0, start, StandardCharsets.ISO_8859_1);
		String length = RawStompSocket.header(head, "content-length");
		int end = frame.length;
		if (!length.isEmpty()) {
			end = start + Integer.parseInt(length);
		}
		else {
			while (end > start && (frame[end - 1] == '\n' || frame[end - 1] == '\r')) {
				end--;
			}
			end = (end > start && frame[end - 1] == 0) ? end - 1 : end;
		}
		return Arrays.copyOfRange(frame, start, end);
	}

}
