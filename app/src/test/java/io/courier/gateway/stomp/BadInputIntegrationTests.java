package io.courier.gateway.stomp;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RawStompSocket;
import io.courier.gateway.support.SseTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad input gets its documented answer (the exact text a client reads), over a real
 * socket: frames before CONNECT, frames that are not STOMP, a version the server does not
 * speak, tokens without {@code sub} or {@code exp}, a DISCONNECT that should end the
 * session at once, an SSE destination history does not keep. A client's mistake costs at
 * most one log line and never a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "courier.limits.handshake-rate=1000", "courier.limits.handshake-burst=1000" })
class BadInputIntegrationTests extends GatewayIntegrationTest {

	private static final HttpClient http = HttpClient.newHttpClient();

	@Test
	void framesBeforeConnectGetOneErrorAndOneLogLine(CapturedOutput output) throws Exception {
		int mark = output.getOut().length();
		try (RawStompSocket client = RawStompSocket.open(this.port, 64 * 1024)) {
			client.sendText(RawStompSocket.frame("SEND", "destination:/app/x").repeat(1000));

			assertThat(RawStompSocket.header(client.readFrame(), "message"))
				.isEqualTo("not connected: SEND before CONNECT");
			assertThat(framesUntilClosed(client)).isZero();
		}
		// nothing more comes: for half a second after the close (log lines written after
		// it would come within
		// that), still one line and no stack trace
		await().during(500, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			String log = output.getOut().substring(mark);
			assertThat(log.lines().filter((line) -> line.contains("Closing session"))).hasSize(1);
			assertThat(log).doesNotContain("Exception").doesNotContain("\tat ");
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("notStomp")
	void aFrameThatIsNotStompIsAMalformedFrame(String name, byte[] bytes, boolean binary, CapturedOutput output)
			throws Exception {
		int mark = output.getOut().length();
		try (RawStompSocket client = connect("sloppy-" + name)) {
			if (binary) {
				client.sendBinary(bytes);
			}
			else {
				client.sendText(new String(bytes, StandardCharsets.UTF_8));
			}
			String answer = client.readFrame();
			assertThat(answer).startsWith("ERROR");
			assertThat(RawStompSocket.header(answer, "message")).startsWith("malformed frame: ");
			assertThat(client.awaitServerClose(5_000)).isTrue();
		}
		assertThat(output.getOut().substring(mark)).doesNotContain("Exception").doesNotContain("\tat ");
	}

	static Stream<Arguments> notStomp() {
		byte[] random = new byte[512];
		new Random(20261203).nextBytes(random);
		random[0] = 'X'; // not an end-of-line: a heart-beat is not an error
		random[40] = '\n'; // the end of the "command"
		return Stream.of(arguments("FOO", "FOO\n\n\0".getBytes(), false),
				arguments("lower-case connect", "connect\naccept-version:1.2\n\n\0".getBytes(), false),
				arguments("random bytes", random, true));
	}

	@Test
	void anUnknownCommandIsNamedAsSuch() throws Exception {
		try (RawStompSocket client = connect("foo")) {
			client.sendText("FOO\n\n\0");
			assertThat(RawStompSocket.header(client.readFrame(), "message"))
				.isEqualTo("malformed frame: not a STOMP frame (unknown command)");
		}
	}

	@Test
	void aVersionTheServerDoesNotSpeakGetsAnError() throws Exception {
		try (RawStompSocket client = RawStompSocket.open(this.port, 64 * 1024)) {
			client.sendFrame("CONNECT", "accept-version:9.9", "host:localhost",
					"Authorization:Bearer " + this.idp.token("future"));
			assertThat(RawStompSocket.header(client.readFrame(), "message"))
				.isEqualTo("unsupported STOMP version: 9.9 (this server speaks 1.2, 1.1, 1.0)");
			assertThat(client.awaitServerClose(5_000)).isTrue();
		}
	}

	@Test
	void aTokenWithoutSubjectOrExpiryIsRefused() throws Exception {
		assertThat(connectError(this.idp.tokenWithSubject(null))).isEqualTo("invalid token: no subject");
		assertThat(connectError(this.idp.tokenWithSubject(""))).isEqualTo("invalid token: no subject");
		assertThat(connectError(this.idp.tokenWithoutExpiry("forever")))
			.isEqualTo("invalid token: no expiry (exp claim)");
		try (SseTestClient sse = SseTestClient.open(SseTestClient.url(httpUrl(""), "/topic/public.x"),
				this.idp.tokenWithoutExpiry("forever"), null)) {
			assertThat(sse.status()).isEqualTo(401);
		}
	}

	@Test
	void disconnectWithReceiptEndsTheSessionAtOnce() throws Exception {
		String token = this.idp.token("leaver");
		try (RawStompSocket client = connect("leaver")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> presence("leaver", token).contains("\"online\":true"));
			client.sendFrame("DISCONNECT", "receipt:bye");

			String receipt = client.readFrame();
			assertThat(receipt).startsWith("RECEIPT");
			assertThat(RawStompSocket.header(receipt, "receipt-id")).isEqualTo("bye");
			assertThat(client.awaitServerClose(5_000)).as("the server closes the socket").isTrue();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> presence("leaver", token).contains("\"online\":false"));
	}

	@Test
	void sseRefusesAUserDestinationHistoryDoesNotKeep() throws Exception {
		try (SseTestClient sse = SseTestClient.open(SseTestClient.url(httpUrl(""), "/user/queue/foo"),
				this.idp.token("sse-user"), null)) {
			assertThat(sse.status()).isEqualTo(400);
			assertThat(sse.errorBody()).contains("not served over SSE and long polling: /user/queue/foo")
				.contains("history keeps /user/queue/order-updates");
		}
	}

	private RawStompSocket connect(String user) throws IOException {
		return RawStompSocket.connect(this.port, this.idp.token(user));
	}

	private String connectError(String token) throws IOException {
		try (RawStompSocket client = RawStompSocket.open(this.port, 64 * 1024)) {
			client.sendFrame("CONNECT", "accept-version:1.2", "host:localhost", "Authorization:Bearer " + token);
			String answer = client.readFrame();
			assertThat(answer).startsWith("ERROR");
			return RawStompSocket.header(answer, "message");
		}
	}

	/** Frames the server sends until it closes the socket (or 5 s pass, which fails). */
	private static int framesUntilClosed(RawStompSocket client) {
		int frames = 0;
		long deadline = System.currentTimeMillis() + 5_000;
		try {
			while (System.currentTimeMillis() < deadline) {
				client.readFrame();
				frames++;
			}
		}
		catch (SocketTimeoutException silent) {
			throw new AssertionError("the server neither sent a frame nor closed the socket");
		}
		catch (IOException closed) {
			return frames;
		}
		throw new AssertionError("the server did not close the socket");
	}

	private String presence(String user, String token) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl("/api/presence/" + user)))
			.header("Authorization", "Bearer " + token)
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

}
