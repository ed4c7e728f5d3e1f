package io.courier.gateway.nodequeue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
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
 * Declares and binds the node's queues over AMQP, as the gateway's AMQP user, on one
 * channel used by one thread: RabbitMQ applies the operations in the order the relay
 * asked for them (an unbind after the last subscriber left, then a bind for the next
 * first one, stay in that order). A queue is durable with {@code x-expires}: if the node
 * goes, RabbitMQ removes it and its bindings a minute later; while the node lives it is
 * consumed, so it never expires.
 *
 * <p>
 * Binds are pipelined: the worker takes every operation waiting, sends its binds without
 * waiting for each reply ({@code queue.bind} no-wait) and confirms them all with one
 * round trip; a SUBSCRIBE's receipt waits for that. If a bind was refused (RabbitMQ
 * closes the channel), the batch's binds are redone one by one on a new channel, so each
 * caller learns its own outcome. Other operations are one round trip each. Measured with
 * {@code bench connections --own-order} (docs/BENCHMARKS.md).
 */
public final class AmqpNodeQueueBindings implements NodeQueueBindings, DisposableBean {

	private static final Log logger = LogFactory.getLog(AmqpNodeQueueBindings.class);

	/** Unused this long (no consumer: the node is gone), RabbitMQ deletes the queue. */
	static final Duration EXPIRES = Duration.ofSeconds(60);

	private final ConnectionFactory connections;

	private static final int BATCH = 1000;

	private final ExecutorService worker = Executors.newSingleThreadExecutor(daemon("courier-node-queues-"));

	/** Operations waiting for the worker, in order. */
	private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

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
		return enqueue(new Pending((channel) -> channel.queueBind(queue, binding.exchange(), binding.key()),
				(channel) -> channel.queueBindNoWait(queue, binding.exchange(), binding.key(), null), queue));
	}

	@Override
	public CompletableFuture<@Nullable Void> unbind(String queue, TopicBinding binding) {
		return submit((channel) -> channel.queueUnbind(queue, binding.exchange(), binding.key()));
	}

	private CompletableFuture<@Nullable Void> submit(Operation operation) {
		return enqueue(new Pending(operation, null, null));
	}

	private CompletableFuture<@Nullable Void> enqueue(Pending operation) {
		this.pending.add(operation);
		try {
			this.worker.execute(this::drain);
		}
		catch (RuntimeException rejected) { // shutting down
			operation.done.completeExceptionally(rejected);
		}
		return operation.done;
	}

	/**
	 * Runs what is waiting: runs of binds pipelined, anything else one at a time, all in
	 * order.
	 */
	private void drain() {
		List<Pending> batch = new ArrayList<>();
		this.pending.drainTo(batch, BATCH);
		int i = 0;
		while (i < batch.size()) {
			Pending next = batch.get(i);
			if (next.pipelined == null) {
				run(next);
				i++;
				continue;
			}
			int end = i;
			while (end < batch.size() && batch.get(end).pipelined != null) {
				end++;
			}
			pipeline(batch.subList(i, end));
			i = end;
		}
	}

	private void run(Pending operation) {
		try {
			operation.operation.run(channel());
			this.operations.incrementAndGet();
			operation.done.complete(null);
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			closeChannel(); // a refused operation closes the channel: the next one opens
							// another
			operation.done.completeExceptionally(ex);
		}
	}

	/**
	 * Sends the binds without waiting, then one round trip: when it answers, RabbitMQ has
	 * done them all.
	 */
	private void pipeline(List<Pending> binds) {
		try {
			Channel channel = channel();
			for (Pending bind : binds) {
				bind.pipelined.run(channel);
			}
			channel.queueDeclarePassive(binds.get(binds.size() - 1).queue);
			this.operations.addAndGet(binds.size());
			binds.forEach((bind) -> bind.done.complete(null));
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			closeChannel();
			binds.forEach(this::run); // one by one: each caller learns its own outcome
		}
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

	/** An operation, and its no-wait form when it has one. */
	private record Pending(Operation operation, @Nullable Operation pipelined, @Nullable String queue,
			CompletableFuture<@Nullable Void> done) {

		Pending(Operation operation, @Nullable Operation pipelined, @Nullable String queue) {
			this(operation, pipelined, queue, new CompletableFuture<>());
		}

	}

	@FunctionalInterface
	private interface Operation {

		void run(Channel channel) throws IOException, TimeoutException;

	}

}
