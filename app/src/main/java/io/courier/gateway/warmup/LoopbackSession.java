package io.courier.gateway.warmup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import io.courier.gateway.session.InternalSessions;

/**
 * One of the warm-up's STOMP sessions to the node's own {@code /ws}, on the JDK's
 * WebSocket client (no container of its own to start and stop inside the server's):
 * CONNECT with a bearer token, one SUBSCRIBE with a receipt, MESSAGE frames counted,
 * DISCONNECT. Frames are written and read as text, the way any STOMP 1.2 client does.
 */
final class LoopbackSession implements WebSocket.Listener {

	private final CompletableFuture<Void> connected = new CompletableFuture<>();

	private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private final AtomicLong messages;

	private final StringBuilder partial = new StringBuilder();

	private volatile WebSocket socket;

	private LoopbackSession(AtomicLong messages) {
		this.messages = messages;
	}

	/**
	 * Opens the WebSocket with the internal-session credential (and {@code origin} as its
	 * Origin header, unless null) and sends CONNECT; completes on CONNECTED.
	 */
	static LoopbackSession open(HttpClient http, URI uri, @Nullable String origin, String credential, String token,
			AtomicLong messages) {
		LoopbackSession session = new LoopbackSession(messages);
		WebSocket.Builder builder = http.newWebSocketBuilder()
			.header(InternalSessions.HEADER, credential)
			.connectTimeout(Duration.ofSeconds(5));
		if (origin != null) {
			builder.header("Origin", origin);
		}
		builder.buildAsync(uri, session)
			.thenCompose((socket) -> socket.sendText("CONNECT\naccept-version:1.2\nhost:courier\nheart-beat:0,0\n"
					+ "Authorization:Bearer " + token + "\n\n\0", true))
			.whenComplete((socket, ex) -> {
				if (ex != null) {
					session.connected.completeExceptionally(ex);
				}
			});
		return session;
	}

	CompletableFuture<Void> connected() {
		return this.connected;
	}

	/** SUBSCRIBEs to {@code destination}; the future completes on its RECEIPT. */
	CompletableFuture<Void> subscribe(String destination) {
		this.socket.sendText("SUBSCRIBE\nid:warmup\ndestination:" + destination + "\nreceipt:subscribed\n\n\0", true);
		return this.subscribed;
	}

	/** DISCONNECT; the future completes when the node has closed the socket. */
	CompletableFuture<Void> disconnect() {
		WebSocket socket = this.socket;
		if (socket != null && !socket.isOutputClosed()) {
			socket.sendText("DISCONNECT\nreceipt:bye\n\n\0", true);
		}
		else {
			this.closed.complete(null);
		}
		return this.closed;
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.socket = webSocket;
		webSocket.request(1);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			String text = this.partial.toString();
			this.partial.setLength(0);
			for (String frame : text.split("\0")) {
				onFrame(frame.stripLeading());
			}
		}
		webSocket.request(1);
		return null;
	}

	private void onFrame(String frame) {
		if (frame.startsWith("MESSAGE\n")) {
			this.messages.incrementAndGet();
		}
		else if (frame.startsWith("CONNECTED\n")) {
			this.connected.complete(null);
		}
		else if (frame.startsWith("RECEIPT\n") && frame.contains("receipt-id:subscribed")) {
			this.subscribed.complete(null);
		}
		else if (frame.startsWith("ERROR\n")) {
			IllegalStateException error = new IllegalStateException(
					frame.lines().filter((l) -> l.startsWith("message:")).findFirst().orElse("ERROR"));
			this.connected.completeExceptionally(error);
			this.subscribed.completeExceptionally(error);
		}
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(null);
		this.connected.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.complete(null);
		this.connected.completeExceptionally(error);
		this.subscribed.completeExceptionally(error);
	}

}
