package io.courier.gateway.relay;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.tcp.TcpConnection;

/**
 * One {@link StompTcpClient} connection: frames encoded with Spring's STOMP encoder and
 * written with a flush each; heart-beats ({@link #onReadInactivity},
 * {@link #onWriteInactivity}) as idle-state handlers on the channel.
 */
final class NettyTcpConnection implements TcpConnection<byte[]> {

	private final Channel channel;

	private final StompEncoder encoder = new StompEncoder();

	NettyTcpConnection(Channel channel) {
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

	/**
	 * Runs a task each time the channel has read (or written) nothing for the interval.
	 */
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
