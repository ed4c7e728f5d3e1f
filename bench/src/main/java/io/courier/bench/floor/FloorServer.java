package io.courier.bench.floor;

import java.nio.charset.StandardCharsets;

import io.courier.bench.stomp.StompDecoder;
import io.courier.bench.stomp.StompEncoder;
import io.courier.bench.stomp.StompFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.resources.LoopResources;

/**
 * The floor: the least any STOMP-over-WebSocket broadcast can cost on this machine. A
 * reactor-netty WebSocket server on a loopback port, no broker, no authentication: it
 * answers CONNECT with CONNECTED (no heart-beats), adds a session to one channel group at
 * its first SUBSCRIBE (answering the receipt), and {@link #broadcast} writes one MESSAGE
 * frame, encoded once, to every subscribed session. Every client must use subscription id
 * {@code sub-0} (the bench client's first subscription), because the frame is the same
 * bytes for all.
 */
public final class FloorServer implements AutoCloseable {

	public static final String DESTINATION = "/topic/public.bench";

	/**
	 * How the server's one event-loop thread is named: every write of the floor's runs on
	 * it.
	 */
	public static final String THREAD_PREFIX = "bench-floor";

	private final LoopResources loop = LoopResources.create(THREAD_PREFIX, 1, true);

	private final ChannelGroup subscribers = new DefaultChannelGroup("floor", GlobalEventExecutor.INSTANCE);

	private final DisposableServer server;

	private long messageIds;

	public FloorServer(int port) {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.runOn(this.loop)
			.route((routes) -> routes.ws("/ws", (in, out) -> {
				StompDecoder decoder = new StompDecoder();
				io.netty.channel.Channel[] channel = new io.netty.channel.Channel[1];
				in.withConnection((connection) -> channel[0] = connection.channel());
				return in.aggregateFrames(1 << 16).receiveFrames().doOnNext((frame) -> {
					for (StompFrame stomp : decoder.decode(ByteBufUtil.getBytes(frame.content()))) {
						onFrame(channel[0], stomp);
					}
				}).then();
			}, WebsocketServerSpec.builder().protocols("v12.stomp").build()))
			.bindNow();
	}

	private void onFrame(io.netty.channel.Channel channel, StompFrame frame) {
		switch (frame.command()) {
			case "CONNECT", "STOMP" -> write(channel,
					StompFrame.of("CONNECTED", "version", "1.2", "heart-beat", "0,0", "server", "courier-bench-floor"));
			case "SUBSCRIBE" -> {
				this.subscribers.add(channel);
				String receipt = frame.header("receipt");
				if (receipt != null) {
					write(channel, StompFrame.of("RECEIPT", "receipt-id", receipt));
				}
			}
			case "DISCONNECT" -> {
				this.subscribers.remove(channel);
				channel.close();
			}
			default -> {
			}
		}
	}

	private static void write(io.netty.channel.Channel channel, StompFrame frame) {
		channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(StompEncoder.encode(frame))));
	}

	public int port() {
		return this.server.port();
	}

	public int subscriberCount() {
		return this.subscribers.size();
	}

	/**
	 * Encodes one MESSAGE (subscription {@code sub-0}) and writes the same bytes to every
	 * subscribed session, on the server's event loop (one task per message), so that the
	 * server's thread carries all of the fan-out's cost.
	 */
	public void broadcast(String body) {
		StompFrame message = new StompFrame("MESSAGE",
				java.util.Map.of("subscription", "sub-0", "destination", DESTINATION, "message-id",
						"floor-" + (this.messageIds++), "content-type", "text/plain"),
				body.getBytes(StandardCharsets.UTF_8));
		ByteBuf encoded = Unpooled.wrappedBuffer(StompEncoder.encode(message));
		// ChannelGroup.write retains the frame once per channel
		TextWebSocketFrame frame = new TextWebSocketFrame(encoded);
		this.loop.onServer(true).next().execute(() -> this.subscribers.writeAndFlush(frame));
	}

	@Override
	public void close() {
		this.subscribers.close().awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS);
		this.server.disposeNow(java.time.Duration.ofSeconds(5));
		this.loop.dispose();
	}

}
