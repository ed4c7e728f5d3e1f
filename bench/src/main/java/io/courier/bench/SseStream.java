package io.courier.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * One {@code GET /sse} stream read with reactor-netty, the events parsed as the bytes
 * arrive (the {@code text/event-stream} rules: {@code field: value} lines, a blank line
 * ends an event, {@code :} lines are comments). Destination events go to
 * {@link Receivers#onBody}; {@code subscribed} completes {@link #ready()}; {@code close},
 * {@code reset}, a non-200 answer or a lost connection count as errors.
 */
final class SseStream {

	private static final AtomicInteger IDS = new AtomicInteger(1_000_000);

	private final int id = IDS.incrementAndGet();

	private final Receivers receivers;

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

	private String event = "";

	private ByteArrayOutputStream data = new ByteArrayOutputStream(256);

	private volatile boolean closing;

	private volatile Disposable connection;

	private SseStream(Receivers receivers) {
		this.receivers = receivers;
	}

	static SseStream open(HttpClient http, URI url, String bearerToken, Receivers receivers) {
		SseStream stream = new SseStream(receivers);
		stream.connection = http
			.headers((headers) -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearerToken)
				.set(HttpHeaderNames.ACCEPT, "text/event-stream"))
			.get()
			.uri(url)
			.response((response, body) -> {
				if (response.status().code() != 200) {
					stream.fail("HTTP " + response.status().code());
					return Mono.empty();
				}
				return body.doOnNext(stream::feed).then();
			})
			.subscribe(null, (ex) -> stream.fail("connection failed: " + ex), () -> stream.fail("stream ended"));
		return stream;
	}

	int id() {
		return this.id;
	}

	/**
	 * Completes with the {@code subscribed} event: from then on nothing published is
	 * missed.
	 */
	CompletableFuture<Void> ready() {
		return this.ready;
	}

	void close() {
		this.closing = true;
		Disposable connection = this.connection;
		if (connection != null) {
			connection.dispose();
		}
	}

	private void fail(String reason) {
		if (this.closing || this.ready.isCompletedExceptionally()) {
			return; // closed by the bench, or already counted as failing to open
		}
		if (!this.ready.completeExceptionally(new IllegalStateException(reason))) {
			this.receivers.onError("sse stream " + this.id, reason);
		}
	}

	/** Called on the connection's event loop thread only. */
	private void feed(ByteBuf bytes) {
		while (bytes.isReadable()) {
			byte b = bytes.readByte();
			if (b == '\n') {
				onLine();
				this.line.reset();
			}
			else if (b != '\r') {
				this.line.write(b);
			}
		}
	}

	private void onLine() {
		if (this.line.size() == 0) {
			dispatch();
			return;
		}
		String text = this.line.toString(StandardCharsets.UTF_8);
		if (text.startsWith(":")) {
			return;
		}
		int colon = text.indexOf(':');
		String field = (colon < 0) ? text : text.substring(0, colon);
		String value = (colon < 0) ? ""
				: text.substring((colon + 1 < text.length() && text.charAt(colon + 1) == ' ') ? colon + 2 : colon + 1);
		switch (field) {
			case "event" -> this.event = value;
			case "data" -> {
				if (this.data.size() > 0) {
					this.data.write('\n');
				}
				this.data.writeBytes(value.getBytes(StandardCharsets.UTF_8));
			}
			default -> {
				// id, retry: nothing to do for the bench
			}
		}
	}

	private void dispatch() {
		String name = this.event;
		byte[] body = this.data.toByteArray();
		this.event = "";
		this.data = new ByteArrayOutputStream(256);
		switch (name) {
			case "" -> {
				// a blank line with no event before it
			}
			case "subscribed" -> this.ready.complete(null);
			case "close", "reset" -> fail(name + ": " + new String(body, StandardCharsets.UTF_8));
			default -> this.receivers.onBody(this.id, body);
		}
	}

}
