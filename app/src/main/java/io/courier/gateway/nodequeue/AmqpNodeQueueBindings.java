package io.courier.gateway.nodequeue;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

import io.courier.gateway.relay.NodeQueueBindings;
import io.courier.gateway.relay.TopicBinding;

/**
 * Declares and binds the node's queues over AMQP, as the gateway's AMQP user, on one channel used by one thread:
 * RabbitMQ applies the operations in the order the relay asked for them (an unbind after the last subscriber
 * left, then a bind for the next first one, stay in that order). A queue is durable with {@code x-expires}: if
 * the node goes, RabbitMQ removes it and its bindings a minute later; while the node lives it is consumed, so
 * it never expires. Each operation is one round trip on loopback; the bench's connect storm measures the rate.
 */
public final class AmqpNodeQueueBindings implements NodeQueueBindings, DisposableBean {

	private static final Log logger = LogFactory.getLog(AmqpNodeQueueBindings.class);

	/** Unused this long (no consumer: the node is gone), RabbitMQ deletes the queue. */
	static final Duration EXPIRES = Duration.ofSeconds(60);

	private final ConnectionFactory connections;

	private final ExecutorService worker = Executors
		.newSingleThreadExecutor(daemon("courier-node-queues-"));

	private final AtomicLong operations = new AtomicLong();

	/** Used on the worker thread only. */
	private @Nullable Channel channel;

	public AmqpNodeQueueBindings(ConnectionFactory connections) {
		this.connections = connections;
	}

	/** Declarations, bindings and unbindings done so far. */
	public long operations() {
		return this.operations.get();
	}

	@Override
	public CompletableFuture<@Nullable Void> reset(String queue) {
		return submit((channel) -> {
			channel.queueDelete(queue);
			channel.queueDeclare(queue, true, false, false, Map.of("x-expires", EXPIRES.toMillis()));
		});
	}

	@Override
	public CompletableFuture<@Nullable Void> delete(String queue) {
		return submit((channel) -> channel.queueDelete(queue));
	}

	@Override
	public CompletableFuture<@Nullable Void> bind(String queue, TopicBinding binding) {
		return submit((channel) -> channel.queueBind(queue, binding.exchange(), binding.key()));
	}

	@Override
	public CompletableFuture<@Nullable Void> unbind(String queue, TopicBinding binding) {
		return submit((channel) -> channel.queueUnbind(queue, binding.exchange(), binding.key()));
	}

	private CompletableFuture<@Nullable Void> submit(Operation operation) {
		CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
		try {
			this.worker.execute(() -> {
				try {
					operation.run(channel());
					this.operations.incrementAndGet();
					done.complete(null);
				}
				catch (IOException | TimeoutException | RuntimeException ex) {
					closeChannel(); // a refused operation closes the channel: the next one opens another
					done.completeExceptionally(ex);
				}
			});
		}
		catch (RuntimeException rejected) { // shutting down
			done.completeExceptionally(rejected);
		}
		return done;
	}

	private Channel channel() throws IOException, TimeoutException {
		Channel channel = this.channel;
		if (channel == null || !channel.isOpen()) {
			Connection connection = this.connections.createConnection();
			channel = connection.createChannel(false);
			this.channel = channel;
		}
		return channel;
	}

	private void closeChannel() {
		Channel channel = this.channel;
		this.channel = null;
		if (channel != null && channel.isOpen()) {
			try {
				channel.close();
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				logger.debug("Closing the node queue channel failed: " + ex.getMessage());
			}
		}
	}

	@Override
	public void destroy() {
		this.worker.execute(this::closeChannel);
		this.worker.shutdown();
	}

	private static CustomizableThreadFactory daemon(String prefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
		factory.setDaemon(true);
		return factory;
	}

	@FunctionalInterface
	private interface Operation {

		void run(Channel channel) throws IOException, TimeoutException;

	}

}
