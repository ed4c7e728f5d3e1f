package io.courier.gateway.relay;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.tcp.ReconnectStrategy;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.messaging.tcp.TcpConnectionHandler;
import org.springframework.messaging.tcp.TcpOperations;

/**
 * A STOMP-over-TCP client on Netty for the relay's broker connections. It calls the
 * {@link TcpConnectionHandler} on the connection's event-loop thread, in socket order,
 * with no thread hop per frame (Spring's {@code ReactorNettyTcpClient} hands every frame
 * to a scheduler thread): {@code afterConnected} before the first frame, each decoded
 * frame ({@code handleMessage}), then, once per socket read, {@link Handler#afterRead} if
 * the handler is one, so a handler can hold work for the frames of a read and do it once
 * at the end. Heart-beats ({@link TcpConnection#onReadInactivity},
 * {@link TcpConnection#onWriteInactivity}) are idle-state handlers on the channel. The
 * event-loop group belongs to the caller, which shuts it down; {@link #shutdownAsync}
 * closes the connections this client opened and refuses new ones.
 */
final class StompTcpClient implements TcpOperations<byte[]> {

	/** Connect timeout; the relay's own CONNECTED timeout follows it. */
	private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

	/**
	 * A handler that also hears when the frames of one socket read have all been handled.
	 */
	interface Handler extends TcpConnectionHandler<byte[]> {

		void afterRead();

	}

	private final String host;

	private final int port;

	private final Bootstrap bootstrap;

	private final EventLoopGroup loops;

	private final ChannelGroup channels;

	private volatile boolean shutdown;

	StompTcpClient(String host, int port, EventLoopGroup loops) {
		this.host = host;
		this.port = port;
		this.loops = loops;
		this.channels = new DefaultChannelGroup(loops.next());
		this.bootstrap = new Bootstrap().group(loops)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
	}

	/**
	 * Opens a connection: the handler hears {@code afterConnected} or
	 * {@code afterConnectFailure}; the future completes likewise.
	 */
	@Override
	public CompletableFuture<@Nullable Void> connectAsync(TcpConnectionHandler<byte[]> handler) {
		CompletableFuture<@Nullable Void> result = new CompletableFuture<>();
		if (this.shutdown) {
			IllegalStateException refused = new IllegalStateException("the client is shut down");
			handler.afterConnectFailure(refused);
			result.completeExceptionally(refused);
			return result;
		}
		Bootstrap bootstrap = this.bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {

			@Override
			protected void initChannel(SocketChannel channel) {
				channel.pipeline().addLast(new FrameDecoder(), new Inbound(handler));
			}

		});
		bootstrap.connect(this.host, this.port).addListener((ChannelFuture future) -> {
			// on the event loop, before the channel reads anything
			if (future.isSuccess()) {
				this.channels.add(future.channel());
				handler.afterConnected(new NettyTcpConnection(future.channel()));
				result.complete(null);
			}
			else {
				handler.afterConnectFailure(future.cause());
				result.completeExceptionally(future.cause());
			}
		});
		return result;
	}

	/**
	 * Opens a connection and opens it again, after the strategy's delay, each time an
	 * attempt fails or the connection closes, until the client is shut down. The future
	 * completes with the first connection.
	 */
	@Override
	public CompletableFuture<@Nullable Void> connectAsync(TcpConnectionHandler<byte[]> handler,
			ReconnectStrategy strategy) {
		CompletableFuture<@Nullable Void> first = new CompletableFuture<>();
		new Reconnecting(handler, strategy, first).attempt();
		return first;
	}

	@Override
	public CompletableFuture<@Nullable Void> shutdownAsync() {
		this.shutdown = true;
		CompletableFuture<@Nullable Void> result = new CompletableFuture<>();
		this.channels.close().addListener((future) -> result.complete(null));
		return result;
	}

	/** A handler that connects again when its connection fails or closes. */
	private final class Reconnecting implements TcpConnectionHandler<byte[]> {

		private final TcpConnectionHandler<byte[]> handler;

		private final ReconnectStrategy strategy;

		private final CompletableFuture<@Nullable Void> first;

		private int attempts;

		Reconnecting(TcpConnectionHandler<byte[]> handler, ReconnectStrategy strategy,
				CompletableFuture<@Nullable Void> first) {
			this.handler = handler;
			this.strategy = strategy;
			this.first = first;
		}

		void attempt() {
			connectAsync(this);
		}

		private void again() {
			Long delay = this.strategy.getTimeToNextAttempt(++this.attempts);
			if (delay != null && !StompTcpClient.this.shutdown) {
				StompTcpClient.this.loops.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
			}
		}

		@Override
		public void afterConnected(TcpConnection<byte[]> connection) {
			this.attempts = 0;
			this.handler.afterConnected(connection);
			this.first.complete(null);
		}

		@Override
		public void afterConnectFailure(Throwable ex) {
			this.handler.afterConnectFailure(ex);
			again();
		}

		@Override
		public void handleMessage(Message<byte[]> message) {
			this.handler.handleMessage(message);
		}

		@Override
		public void handleFailure(Throwable ex) {
			this.handler.handleFailure(ex);
		}

		@Override
		public void afterConnectionClosed() {
			this.handler.afterConnectionClosed();
			again();
		}

	}

	/** STOMP frames (and heart-beats) out of the byte stream, with Spring's decoder. */
	private static final class FrameDecoder extends ByteToMessageDecoder {

		private final StompDecoder decoder = new StompDecoder();

		@Override
		protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
			ByteBuffer buffer = in.nioBuffer();
			int start = buffer.position();
			List<Message<byte[]>> frames = this.decoder.decode(buffer); // stops before a
																		// partial frame
			in.skipBytes(buffer.position() - start);
			out.addAll(frames);
		}

	}

	private static final class Inbound extends ChannelInboundHandlerAdapter {

		private final TcpConnectionHandler<byte[]> handler;

		private final @Nullable Handler readAware;

		Inbound(TcpConnectionHandler<byte[]> handler) {
			this.handler = handler;
			this.readAware = (handler instanceof Handler aware) ? aware : null;
		}

		@Override
		@SuppressWarnings("unchecked")
		public void channelRead(ChannelHandlerContext context, Object frame) {
			this.handler.handleMessage((Message<byte[]>) frame);
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext context) {
			if (this.readAware != null) {
				this.readAware.afterRead();
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext context) {
			this.handler.afterConnectionClosed();
		}

		/**
		 * Also what a handler throws: as with Spring's client, a failure of the
		 * connection.
		 */
		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			this.handler.handleFailure(cause);
			context.close();
		}

	}

}
