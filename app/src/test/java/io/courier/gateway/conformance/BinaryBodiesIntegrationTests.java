package io.courier.gateway.conformance;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RawStompSocket;
import io.courier.gateway.support.StompTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client gets for a body that is not text
 * ({@code content-type: application/octet-stream}): on raw WebSocket the bytes, in a
 * binary WebSocket message (a text message must be UTF-8, RFC 6455); SockJS carries text
 * only: the body is sent as UTF-8 text, bytes that are not UTF-8 become U+FFFD, the frame
 * no longer matches its {@code content-length}, and Spring's SockJS STOMP client loses
 * the connection. Binary over SockJS needs an encoding the application chooses (base64),
 * documented in docs/CLIENT-PROTOCOL.md.
 */
@TestPropertySource(properties = { "courier.security.rules[0].frame=SUBSCRIBE",
		"courier.security.rules[0].pattern=/topic/test.binary-*", "courier.security.rules[0].access=AUTHENTICATED",
		"courier.security.rules[1].frame=SEND", "courier.security.rules[1].pattern=/topic/test.binary-*",
		"courier.security.rules[1].access=AUTHENTICATED" })
class BinaryBodiesIntegrationTests extends GatewayIntegrationTest {

	private static final byte[] BYTES = new byte[256];

	static {
		for (int i = 0; i < BYTES.length; i++) {
			BYTES[i] = (byte) i;
		}
	}

	@Test
	void rawWebSocketGetsTheBytesInABinaryMessageAndASockJsClientCannotDecodeThem() throws Exception {
		String topic = "/topic/test.binary-" + System.nanoTime();
		BlockingQueue<byte[]> sockJs = new LinkedBlockingQueue<>();
		StompTestClient.Connection sockJsClient = StompTestClient.connect(sockJsUrl(), this.idp.token("sockjs"));
		StompHeaders headers = new StompHeaders();
		headers.setDestination(topic);
		sockJsClient.subscribeConfirmed(headers, new StompFrameHandler() {
			@Override
			public Type getPayloadType(StompHeaders frameHeaders) {
				return byte[].class;
			}

			@Override
			public void handleFrame(StompHeaders frameHeaders, Object payload) {
				sockJs.add((byte[]) payload);
			}
		});
		try (RawStompSocket webSocket = RawStompSocket.connect(this.port, this.idp.token("raw"));
				RawStompSocket publisher = RawStompSocket.connect(this.port, this.idp.token("publisher"))) {
			webSocket.sendFrame("SUBSCRIBE", "id:s", "destination:" + topic, "receipt:ready");
			assertThat(webSocket.readFrame()).startsWith("RECEIPT");
			byte[] head = ("SEND\ndestination:" + topic
					+ "\ncontent-type:application/octet-stream\ncontent-length:256\n\n")
				.getBytes(StandardCharsets.UTF_8);
			byte[] frame = Arrays.copyOf(head, head.length + BYTES.length + 1);
			System.arraycopy(BYTES, 0, frame, head.length, BYTES.length);
			publisher.sendBinary(frame);

			byte[] received = webSocket.readFrameBytes();
			assertThat(webSocket.lastFrameWasBinary()).as("a binary WebSocket message").isTrue();
			assertThat(Arrays.copyOfRange(received, received.length - BYTES.length - 1, received.length - 1))
				.isEqualTo(BYTES);

			// SockJS frames are text: Spring's STOMP handler sends the body as a UTF-8
			// string, bytes 0x80-0xFF
			// become U+FFFD, and the frame no longer matches its content-length: the
			// client's decoder gives up
			assertThat(sockJs.poll(3, TimeUnit.SECONDS)).as("no message over SockJS").isNull();
			assertThat(sockJsClient.awaitClosed()).as("the SockJS client lost its connection").isTrue();
		}
		finally {
			if (!sockJsClient.isClosed()) {
				sockJsClient.session().disconnect();
			}
		}
	}

}
