package io.courier.admin.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal STOMP 1.2 client over the JDK's WebSocket: CONNECT with a bearer token, then
 * the frames the gateway sends, as text. Enough to see CONNECTED or an ERROR and its
 * {@code message} header.
 */
public final class RawStompClient implements WebSocket.Listener, AutoCloseable {

	private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

	private final StringBuilder partial = new StringBuilder();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private WebSocket socket;

	public static RawStompClient connect(String url, String token) {
		RawStompClient client = new RawStompClient();
		client.socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create(url), client)
			.join();
		client.socket
			.sendText("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\nAuthorization:Bearer " + token
					+ "\n\n\0", true)
			.join();
		return client;
	}

	/**
	 * The next frame's first line and {@code message} header, e.g.
	 * {@code ERROR too many sessions: ...}.
	 */
	public String nextFrame(Duration timeout) throws InterruptedException {
		String frame = this.frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (frame == null) {
			return "(nothing)";
		}
		String command = frame.lines().findFirst().orElse("");
		String message = frame.lines().filter((line) -> line.startsWith("message:")).findFirst().orElse("");
		return (command + " " + unescape(message.replaceFirst("^message:", ""))).trim();
	}

	/** STOMP 1.2 header value escapes. */
	private static String unescape(String value) {
		return value.replace("\\c", ":").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\");
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			for (String frame : this.partial.toString().split("\0")) {
				if (!frame.isBlank()) {
					this.frames.add(frame.stripLeading());
				}
			}
			this.partial.setLength(0);
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.complete(-1);
	}

	@Override
	public void close() {
		if (this.socket != null && !this.socket.isOutputClosed()) {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
		}
		this.socket.abort();
	}

}
