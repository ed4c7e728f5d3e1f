package io.courier.bench.stomp;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * One STOMP 1.2 session over a reactor-netty WebSocket: CONNECT with the given headers,
 * SUBSCRIBE with a receipt, heart-beats from a shared scheduler, DISCONNECT. All sessions
 * of a run share one {@link HttpClient} (one event-loop thread), so thousands of sessions
 * cost one thread. Inbound frames are decoded on the event loop and handed to the
 * {@link Listener} there: listeners must be quick.
 */
public final class StompSession {

	/** Called on the event loop. */
	public interface Listener {

		/**
		 * A RECEIPT, before the future waiting for it completes (its headers may say more
		 * than its id).
		 */
		default void onReceipt(StompSession session, StompFrame receipt) {
		}

		void onMessage(StompSession session, StompFrame message);

		default void onError(StompSession session, String reason) {
		}

	}

	private static final AtomicInteger IDS = new AtomicInteger();

	private final int id = IDS.incrementAndGet();

	private final Listener listener;

	private final ScheduledExecutorService heartbeatScheduler;

	private final Duration heartbeat;

	private final StompDecoder decoder = new StompDecoder();

	private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final CompletableFuture<StompFrame> connected = new CompletableFuture<>();

	private final CompletableFuture<String> closed = new CompletableFuture<>();

	private final Map<String, CompletableFuture<Void>> receipts = new ConcurrentHashMap<>();

	private final AtomicInteger subscriptions = new AtomicInteger();

	private volatile Connection connection;

	private volatile ScheduledFuture<?> heartbeatTask;

	private volatile String error;

	private StompSession(Listener listener, ScheduledExecutorService heartbeatScheduler, Duration heartbeat) {
		this.listener = listener;
		this.heartbeatScheduler = heartbeatScheduler;
		this.heartbeat = heartbeat;
	}

	/**
	 * Opens the WebSocket and sends CONNECT; the returned session's {@link #connected()}
	 * completes with the CONNECTED frame, or exceptionally with the ERROR's message, a
	 * handshake failure or a close.
	 */
	public static StompSession connect(HttpClient client, URI url, Map<String, String> connectHeaders,
			Duration heartbeat, ScheduledExecutorService heartbeatScheduler, Listener listener) {
		StompSession session = new StompSession(listener, heartbeatScheduler, heartbeat);
		StompFrame connect = StompFrame.of("CONNECT", "accept-version", "1.2", "heart-beat",
				heartbeat.toMillis() + "," + heartbeat.toMillis());
		java.util.LinkedHashMap<String, String> headers = new java.util.LinkedHashMap<>(connect.headers());
		headers.putAll(connectHeaders);
		session.send(new StompFrame("CONNECT", headers, StompFrame.NO_BODY));
		client.websocket(WebsocketClientSpec.builder().protocols("v12.stomp").maxFramePayloadLength(1 << 20).build())
			.uri(url)
			.handle((in, out) -> {
				in.withConnection((c) -> session.connection = c);
				Mono<Void> receive = in.aggregateFrames(1 << 20).receiveFrames().doOnNext(session::onFrame).then();
				Mono<Void> send = out.sendString(session.outbound.asFlux()).then();
				return Mono.when(receive, send).doFinally((signal) -> session.onClosed("connection closed"));
			})
			.subscribe(null, (ex) -> session.onClosed("connection failed: " + ex), () -> session.onClosed("closed"));
		return session;
	}

	public int id() {
		return this.id;
	}

	public CompletableFuture<StompFrame> connected() {
		return this.connected;
	}

	/** Completes with the reason when the socket is gone. */
	public CompletableFuture<String> closed() {
		return this.closed;
	}

	/** The ERROR frame's message, or why the connection failed, or null. */
	public String error() {
		return this.error;
	}

	public boolean isOpen() {
		return !this.closed.isDone();
	}

	/**
	 * SUBSCRIBE with id {@code sub-0}, {@code sub-1}, ... and a receipt; completes when
	 * the RECEIPT arrives.
	 */
	public CompletableFuture<Void> subscribe(String destination) {
		return subscribe(destination, Map.of());
	}

	public CompletableFuture<Void> subscribe(String destination, Map<String, String> extraHeaders) {
		String subscriptionId = "sub-" + this.subscriptions.getAndIncrement();
		String receipt = "r-" + subscriptionId;
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.receipts.put(receipt, done);
		java.util.LinkedHashMap<String, String> headers = new java.util.LinkedHashMap<>();
		headers.put("id", subscriptionId);
		headers.put("destination", destination);
		headers.put("ack", "auto");
		headers.put("receipt", receipt);
		headers.putAll(extraHeaders);
		send(new StompFrame("SUBSCRIBE", headers, StompFrame.NO_BODY));
		return done;
	}

	/** DISCONNECT, then close the socket shortly after (no receipt awaited). */
	public void disconnect() {
		if (!isOpen()) {
			return;
		}
		send(StompFrame.of("DISCONNECT"));
		this.heartbeatScheduler.schedule(this::close, 200, TimeUnit.MILLISECONDS);
	}

	public void close() {
		cancelHeartbeats();
		this.outbound.tryEmitComplete();
		Connection c = this.connection;
		if (c != null) {
			c.channel().writeAndFlush(new CloseWebSocketFrame()).addListener((f) -> c.dispose());
		}
	}

	public synchronized void send(StompFrame frame) {
		this.outbound.tryEmitNext(StompEncoder.encodeToString(frame));
	}

	private synchronized void sendHeartbeat() {
		this.outbound.tryEmitNext(StompEncoder.HEARTBEAT);
	}

	private void onFrame(WebSocketFrame frame) {
		byte[] bytes = ByteBufUtil.getBytes(frame.content());
		List<StompFrame> frames;
		try {
			frames = this.decoder.decode(bytes);
		}
		catch (StompDecoder.StompFormatException ex) {
			fail("undecodable frame: " + ex.getMessage());
			close();
			return;
		}
		for (StompFrame stomp : frames) {
			switch (stomp.command()) {
				case "MESSAGE" -> this.listener.onMessage(this, stomp);
				case "CONNECTED" -> onConnected(stomp);
				case "RECEIPT" -> {
					this.listener.onReceipt(this, stomp);
					CompletableFuture<Void> receipt = this.receipts.remove(stomp.header("receipt-id"));
					if (receipt != null) {
						receipt.complete(null);
					}
				}
				case "ERROR" -> {
					String message = stomp.header("message");
					fail("ERROR " + ((message != null) ? message : stomp.bodyText()));
				}
				default -> {
				}
			}
		}
	}

	private void onConnected(StompFrame frame) {
		long interval = heartbeatInterval(this.heartbeat.toMillis(), frame.header("heart-beat"));
		if (interval > 0) {
			this.heartbeatTask = this.heartbeatScheduler.scheduleAtFixedRate(this::sendHeartbeat, interval, interval,
					TimeUnit.MILLISECONDS);
		}
		this.connected.complete(frame);
	}

	/**
	 * How often the client must send a heart-beat: the larger of what it offered
	 * ({@code cx}) and what the server wants ({@code sy}), or 0 (none) when either is 0
	 * (STOMP 1.2, "Heart-beating").
	 */
	public static long heartbeatInterval(long clientOffer, String serverHeartbeat) {
		if (serverHeartbeat == null || clientOffer <= 0) {
			return 0;
		}
		String[] parts = serverHeartbeat.split(",");
		long serverWants = (parts.length == 2) ? Long.parseLong(parts[1].trim()) : 0;
		return (serverWants <= 0) ? 0 : Math.max(clientOffer, serverWants);
	}

	private void fail(String reason) {
		if (this.error == null) {
			this.error = reason;
		}
		this.connected.completeExceptionally(new IllegalStateException(reason));
		this.receipts.values().forEach((r) -> r.completeExceptionally(new IllegalStateException(reason)));
		this.listener.onError(this, reason);
	}

	private void onClosed(String reason) {
		if (this.closed.isDone()) {
			return;
		}
		cancelHeartbeats();
		if (!this.connected.isDone()) {
			fail(reason);
		}
		this.receipts.values().forEach((r) -> r.completeExceptionally(new IllegalStateException(reason)));
		this.outbound.tryEmitComplete();
		this.closed.complete(reason);
	}

	private void cancelHeartbeats() {
		ScheduledFuture<?> task = this.heartbeatTask;
		if (task != null) {
			task.cancel(false);
		}
	}

}
