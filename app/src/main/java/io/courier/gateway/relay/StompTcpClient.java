package io.courier.gateway.relay;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.messaging.tcp.TcpConnectionHandler;

/**
 * A STOMP-over-TCP client on Netty for the relay's broker connections. It calls the {@link TcpConnectionHandler}
 * on the connection's event-loop thread, in socket order, with no thread hop per frame (Spring's
 * {@code ReactorNettyTcpClient} hands every frame to a scheduler thread): {@code afterConnected} before the first
 * frame, each decoded frame ({@code handleMessage}), then, once per socket read, {@link Handler#afterRead} if the
 * handler is one, so a handler can hold work for the frames of a read and do it once at the end. Heart-beats
 * ({@link TcpConnection#onReadInactivity}, {@link TcpConnection#onWriteInactivity}) are idle-state handlers on the
 * channel. The event-loop group belongs to the caller, which shuts it down.
 */
final class StompTcpClient {

	/** Connect timeout; the relay's own CONNECTED timeout follows it. */
	private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

	/** A handler that also hears when the frames of one socket read have all been handled. */
	interface Handler extends TcpConnectionHandler<byte[]> {

		void afterRead();

	}

	private final String host;

	private final int port;

	private final Bootstrap bootstrap;

	StompTcpClient(String host, int port, EventLoopGroup loops) {
		this.host = host;
		this.port = port;
		this.bootstrap = new Bootstrap().group(loops)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
	}

	/**
	 * Opens a connection: the handler hears {@code afterConnected} or {@code afterConnectFailure}; the future
	 * completes likewise.
	 */
	CompletableFuture<@Nullable Void> connect(TcpConnectionHandler<byte[]> handler) {
		CompletableFuture<@Nullable Void> result = new CompletableFuture<>();
		Bootstrap bootstrap = this.bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {

			@Override
			protected void initChannel(SocketChannel channel) {
				channel.pipeline().addLast(new FrameDecoder(), new Inbound(handler));
			}

		});
		bootstrap.connect(this.host, this.port).addListener((ChannelFuture future) -> {
			// on the event loop, before the channel reads anything
			if (future.isSuccess()) {
				handler.afterConnected(new Connection(future.channel()));
				result.complete(null);
			}
			else {
				handler.afterConnectFailure(future.cause());
				result.completeExceptionally(future.cause());
			}
		});
		return result;
	}

	/** STOMP frames (and heart-beats) out of the byte stream, with Spring's decoder. */
	private static final class FrameDecoder extends ByteToMessageDecoder {

		private final StompDecoder decoder = new StompDecoder();

		@Override
		protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
			ByteBuffer buffer = in.nioBuffer();
			int start = buffer.position();
			List<Message<byte[]>> frames = this.decoder.decode(buffer); // stops before a partial frame
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

		/** Also what a handler throws: as with Spring's client, a failure of the connection. */
		@Override
		public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
			this.handler.handleFailure(cause);
			context.close();
		}

	}

	private static final class Connection implements TcpConnection<byte[]> {

		private final Channel channel;

		private final StompEncoder encoder = new StompEncoder();

		Connection(Channel channel) {
			this.channel = channel;
		}

		@Override
		public CompletableFuture<@Nullable Void> sendAsync(Message<byte[]> message) {
			CompletableFuture<@Nullable Void> result = new CompletableFuture<>();
			this.channel.writeAndFlush(Unpooled.wrappedBuffer(this.encoder.encode(message))).addListener((future) -> {
				if (future.isSuccess()) {
					result.complete(null);
				}
				else {
					result.completeExceptionally(future.cause());
				}
			});
			return result;
		}

		@Override
		public void onReadInactivity(Runnable runnable, long duration) {
			this.channel.pipeline().addFirst(new Idle(duration, 0, runnable));
		}

		@Override
		public void onWriteInactivity(Runnable runnable, long duration) {
			this.channel.pipeline().addFirst(new Idle(0, duration, runnable));
		}

		@Override
		public void close() {
			this.channel.close();
		}

	}

	/** Runs a task each time the channel has read (or written) nothing for the interval. */
	private static final class Idle extends IdleStateHandler {

		private final Runnable task;

		Idle(long readerIdleMillis, long writerIdleMillis, Runnable task) {
			super(readerIdleMillis, writerIdleMillis, 0, TimeUnit.MILLISECONDS);
			this.task = task;
		}

		@Override
		protected void channelIdle(ChannelHandlerContext context, IdleStateEvent event) {
			this.task.run();
		}

	}

}
