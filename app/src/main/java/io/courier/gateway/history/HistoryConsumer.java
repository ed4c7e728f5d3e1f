package io.courier.gateway.history;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * The node's one consumer of the history stream, whatever the number of SSE and poll
 * clients: it hands every message to {@link HistoryHub} in offset order. It starts at the
 * stream's last chunk ({@code x-stream-offset:
 * last}), which tells the node where the stream ends; after a lost connection it
 * resubscribes at the offset after the last one it handed over, so the node's clients
 * miss nothing.
 *
 * <p>
 * A plain client consumer rather than a listener container: the container would
 * resubscribe with the offset it was configured with, not the one after the last message
 * seen. Starts in an early phase, before the relay, so the history exchange exists before
 * the first order event is forwarded.
 */
@Component
public class HistoryConsumer implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(HistoryConsumer.class);

	private static final int PREFETCH = 500;

	/**
	 * Deliveries acknowledged together (multiple=true): an ack only returns credit to the
	 * stream, nothing is redelivered on a stream, so one ack write per message would be a
	 * syscall per message for nothing. Far below {@link #PREFETCH}, so the credit never
	 * runs out.
	 */
	public static final int ACK_EVERY = 50;

	private static final Duration RETRY = Duration.ofSeconds(2);

	/** If the last chunk has not come after this, the stream is taken to be empty. */
	private static final Duration EMPTY_AFTER = Duration.ofSeconds(1);

	private final ConnectionFactory connectionFactory;

	private final HistoryTopology topology;

	private final HistoryHub hub;

	private final TaskScheduler scheduler;

	private volatile boolean running;

	private volatile @Nullable Channel channel;

	HistoryConsumer(ConnectionFactory connectionFactory, HistoryTopology topology, HistoryHub hub,
			HistoryThreads threads) {
		this.connectionFactory = connectionFactory;
		this.topology = topology;
		this.hub = hub;
		this.scheduler = threads.scheduler();
	}

	@Override
	public int getPhase() {
		return 0;
	}

	@Override
	public void start() {
		this.running = true;
		subscribe();
	}

	@Override
	public void stop() {
		this.running = false;
		Channel channel = this.channel;
		this.channel = null;
		if (channel != null) {
			close(channel);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private synchronized void subscribe() {
		if (!this.running) {
			return;
		}
		Channel channel = null;
		try {
			this.topology.declare();
			channel = this.connectionFactory.createConnection().createChannel(false);
			channel.basicQos(PREFETCH);
			long head = this.hub.head();
			if (head >= 0) {
				this.hub.restart();
			}
			Object offset = (head >= 0) ? (Object) (head + 1) : "last";
			channel.basicConsume(this.topology.stream(), false, Map.of(HistoryMessages.OFFSET_HEADER, offset),
					new StreamConsumer(channel));
			this.channel = channel;
			logger.info("Consuming history stream " + this.topology.stream() + " from offset " + offset);
			this.scheduler.schedule(this.hub::markReady, Instant.now().plus(EMPTY_AFTER));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not consume history stream " + this.topology.stream() + " (" + ex + "); retrying in "
					+ RETRY.toSeconds() + " s");
			if (channel != null) {
				close(channel);
			}
			this.scheduler.schedule(this::subscribe, Instant.now().plus(RETRY));
		}
	}

	private static void close(Channel channel) {
		RabbitUtils.setPhysicalCloseRequired(channel, true);
		try {
			channel.close();
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			logger.debug("Closing the history channel failed: " + ex.getMessage());
		}
	}

	private final class StreamConsumer extends DefaultConsumer {

		/**
		 * Deliveries not acknowledged yet; the client calls handleDelivery for a channel
		 * on one thread at a time.
		 */
		private int unacked;

		StreamConsumer(Channel channel) {
			super(channel);
		}

		@Override
		public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
				throws IOException {
			long offset = HistoryMessages.offset(properties);
			HistoryConsumer.this.hub.onMessage(offset, HistoryMessages.event(offset, envelope, properties, body));
			if (++this.unacked >= ACK_EVERY) {
				this.unacked = 0;
				getChannel().basicAck(envelope.getDeliveryTag(), true);
			}
		}

		@Override
		public void handleCancel(String tag) {
			resubscribe("cancelled by the broker");
		}

		@Override
		public void handleShutdownSignal(String tag, ShutdownSignalException signal) {
			if (!signal.isInitiatedByApplication()) {
				resubscribe(signal.getMessage());
			}
		}

		private void resubscribe(String why) {
			if (HistoryConsumer.this.running && HistoryConsumer.this.channel == getChannel()) {
				logger.warn("History consumer stopped (" + why + "); resubscribing in " + RETRY.toSeconds() + " s");
				HistoryConsumer.this.channel = null;
				HistoryConsumer.this.scheduler.schedule(HistoryConsumer.this::subscribe, Instant.now().plus(RETRY));
			}
		}

	}

}
