package io.courier.gateway.stomp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.IDN;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The Origin check on the WebSocket and SockJS handshakes, as a browser page would meet
 * it: raw HTTP/1.1 requests on a plain socket, so that any Origin value (empty,
 * {@code null}, non-ASCII bytes) reaches the server unaltered.
 */
@TestPropertySource(
		properties = "courier.allowed-origins=https://app.example.com,https://*.example.com,http://localhost:[*]")
class OriginHandshakeIntegrationTests extends GatewayIntegrationTest {

	private static final String HOMOGLYPH = "https://two.\u0435xample.com"; // Cyrillic
																			// small ie,
																			// U+0435

	private static final SecureRandom random = new SecureRandom();

	/**
	 * The homoglyph host as a browser sends it in Origin (IDNA, punycode): an ASCII
	 * value, so it is Spring's pattern match that refuses it, not the well-formedness
	 * check.
	 */
	private static final String HOMOGLYPH_PUNYCODE = "https://" + IDN.toASCII(HOMOGLYPH.substring("https://".length()));

	private static final HttpClient http = HttpClient.newHttpClient();

	/**
	 * The one comma-separated {@code courier.allowed-origins} list is also the CORS list
	 * of {@code /sse} and {@code /poll}: a page allowed to open the WebSocket may read
	 * the event stream, and no other.
	 */
	@ParameterizedTest(name = "[{index}] preflight {0} Origin {1} -> {2}")
	@MethodSource("corsOrigins")
	void sseAndPollCorsAllowTheOriginsTheHandshakesAllow(String path, String origin, boolean allowed) throws Exception {
		HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(httpUrl(path)))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "authorization")
			.build(), HttpResponse.BodyHandlers.ofString());
		if (allowed) {
			assertThat(preflight.statusCode()).isEqualTo(200);
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);
		}
		else {
			assertThat(preflight.statusCode()).isEqualTo(403);
			assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		}
	}

	static Stream<Arguments> corsOrigins() {
		return Stream.of("/sse", "/poll")
			.flatMap((path) -> Stream.of(arguments(path, "https://app.example.com", true),
					arguments(path, "https://two.example.com", true), arguments(path, "http://localhost:3000", true),
					arguments(path, "https://evil.example", false), arguments(path, "http://app.example.com", false),
					arguments(path, HOMOGLYPH_PUNYCODE, false)));
	}

	@ParameterizedTest(name = "[{index}] Origin {0} -> {1}")
	@MethodSource("webSocketOrigins")
	void webSocketHandshakeChecksOrigin(@Nullable String origin, int expectedStatus) throws IOException {
		Response response = exchange("/ws", origin, true);
		assertThat(response.status()).as(response.head()).isEqualTo(expectedStatus);
		if (expectedStatus == 101) {
			assertThat(response.header("Sec-WebSocket-Accept")).as(response.head())
				.isEqualTo(response.expectedAccept());
		}
	}

	static Stream<Arguments> webSocketOrigins() {
		return Stream.of(arguments("https://app.example.com", 101), arguments("https://two.example.com", 101),
				arguments("https://a.b.example.com", 101), arguments("http://localhost:3000", 101),
				arguments(null, 101), arguments("https://evil.example", 403),
				arguments("https://example.com.evil.io", 403), arguments("https://evil-example.com", 403),
				arguments("http://app.example.com", 403), arguments("https://app.example.com:8443", 403),
				arguments("http://localhost.evil.io:3000", 403), arguments("", 403), arguments("null", 403),
				arguments(HOMOGLYPH, 403), arguments(HOMOGLYPH_PUNYCODE, 403));
	}

	@Test
	void webSocketHandshakeWithTwoOriginHeadersIsRefused() throws IOException {
		Response response = exchange("/ws", List.of("https://app.example.com", "https://evil.example"), true);
		assertThat(response.status()).as(response.head()).isEqualTo(403);
	}

	@ParameterizedTest(name = "GET {0} Origin {1} -> {3}")
	@MethodSource("sockJsRequests")
	void sockJsChecksOrigin(String path, @Nullable String origin, boolean upgrade, int expectedStatus)
			throws IOException {
		Response response = exchange(path, origin, upgrade);
		assertThat(response.status()).as(response.head()).isEqualTo(expectedStatus);
		if (expectedStatus == 101) {
			assertThat(response.header("Sec-WebSocket-Accept")).as(response.head())
				.isEqualTo(response.expectedAccept());
		}
	}

	static Stream<Arguments> sockJsRequests() {
		return Stream.of(arguments("/sockjs/info", "https://app.example.com", false, 200),
				arguments("/sockjs/info", "https://two.example.com", false, 200),
				arguments("/sockjs/info", "https://evil.example", false, 403),
				arguments("/sockjs/info", "null", false, 403), arguments("/sockjs/info", HOMOGLYPH, false, 403),
				arguments("/sockjs/123/abcdefgh/websocket", "https://app.example.com", true, 101),
				arguments("/sockjs/123/abcdefgh/websocket", "https://evil.example", true, 403),
				arguments("/sockjs/123/abcdefgh/websocket", "https://example.com.evil.io", true, 403),
				arguments("/sockjs/123/abcdefgh/websocket", "", true, 403),
				arguments("/sockjs/123/abcdefgh/websocket", "null", true, 403),
				arguments("/sockjs/123/abcdefgh/websocket", HOMOGLYPH, true, 403),
				arguments("/sockjs/websocket", "https://app.example.com", true, 101),
				arguments("/sockjs/websocket", "https://evil.example", true, 403));
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private Response exchange(String path, @Nullable String origin, boolean upgrade) throws IOException {
		return exchange(path, (origin != null) ? List.of(origin) : List.of(), upgrade);
	}

	/**
	 * Sends one request with the Origin header values written as UTF-8 bytes and reads
	 * the response head.
	 */
	private Response exchange(String path, List<String> origins, boolean upgrade) throws IOException {
		String key = Base64.getEncoder().encodeToString(randomBytes(16));
		StringBuilder request = new StringBuilder().append("GET ")
			.append(path)
			.append(" HTTP/1.1\r\n")
			.append("Host: 127.0.0.1:")
			.append(this.port)
			.append("\r\n");
		if (upgrade) {
			request.append("Upgrade: websocket\r\n")
				.append("Connection: Upgrade\r\n")
				.append("Sec-WebSocket-Key: ")
				.append(key)
				.append("\r\n")
				.append("Sec-WebSocket-Version: 13\r\n");
		}
		else {
			request.append("Connection: close\r\n");
		}
		for (String origin : origins) {
			request.append("Origin: ").append(origin).append("\r\n");
		}
		request.append("\r\n");
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			return new Response(readHead(socket.getInputStream()), key);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = { '\r', '\n', '\r', '\n' };
		int b;
		while (matched < end.length && (b = in.read()) != -1) {
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	private record Response(String head, String key) {

		int status() {
			String[] statusLine = this.head.split("\r\n", 2)[0].split(" ");
			assertThat(statusLine).as(this.head).hasSizeGreaterThan(1);
			assertThat(statusLine[0]).as(this.head).isEqualTo("HTTP/1.1");
			return Integer.parseInt(statusLine[1]);
		}

		/** The value of the first header with this name (case-insensitive), or null. */
		@Nullable String header(String name) {
			return this.head.lines()
				.skip(1)
				.filter((line) -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
				.map((line) -> line.substring(name.length() + 1).trim())
				.findFirst()
				.orElse(null);
		}

		/** The {@code Sec-WebSocket-Accept} RFC 6455 requires for this request's key. */
		String expectedAccept() {
			return accept(this.key);
		}

		private static String accept(String key) {
			try {
				byte[] sha1 = MessageDigest.getInstance("SHA-1")
					.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
				return Base64.getEncoder().encodeToString(sha1);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
