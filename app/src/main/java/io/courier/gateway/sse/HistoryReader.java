package io.courier.gateway.sse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.stereotype.Component;

/**
 * Reads a range of the history stream for one resuming client: a short-lived consumer that starts at the
 * client's last id ({@code x-stream-offset}) and stops at the offset the client's live delivery starts after.
 * Stream offsets are not contiguous, so the read starts at the last id itself, which the stream held when the
 * client got it: if the first offset delivered is above it, retention trimmed it, and the range is reported as a
 * gap (RabbitMQ starts an older offset at its first one).
 */
@Component
class HistoryReader {

	private static final Log logger = LogFactory.getLog(HistoryReader.class);

	private static final int PREFETCH = 500;

	private static final long TIMEOUT_MILLIS = 10_000;

	/**
	 * What a read found.
	 *
	 * @param events the matching events, in order, at most {@code limit}
	 * @param complete false if more than {@code limit} events matched
	 * @param gap the first offset asked for is no longer in the stream
	 */
	record Replay(List<HistoryEvent> events, boolean complete, boolean gap) {
	}

	private final ConnectionFactory connectionFactory;

	private final HistoryTopology topology;

	HistoryReader(ConnectionFactory connectionFactory, HistoryTopology topology) {
		this.connectionFactory = connectionFactory;
		this.topology = topology;
	}

	/**
	 * Events with offsets in {@code (since, to]} that {@code filter} accepts; {@code since} is an offset the stream
	 * held (or -1: from the start), {@code to} one it holds.
	 */
	Replay read(long since, long to, Predicate<HistoryEvent> filter, int limit) throws IOException, TimeoutException {
		long from = Math.max(since, 0);
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		Channel channel = this.connectionFactory.createConnection().createChannel(false);
		try {
			channel.basicQos(PREFETCH);
			channel.basicConsume(this.topology.stream(), false, Map.of(HistoryMessages.OFFSET_HEADER, from),
					new DefaultConsumer(channel) {
						@Override
						public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
								byte[] body) throws IOException {
							deliveries.add(new Delivery(envelope, properties, body));
							getChannel().basicAck(envelope.getDeliveryTag(), false);
						}
					});
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
			List<HistoryEvent> events = new ArrayList<>();
			boolean first = true;
			while (true) {
				Delivery delivery = deliveries.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				if (delivery == null) {
					throw new TimeoutException("history stream did not deliver offsets " + from + " to " + to);
				}
				long offset = HistoryMessages.offset(delivery.getProperties());
				if (first && offset > from) {
					return new Replay(List.of(), true, true);
				}
				first = false;
				if (offset <= since) {
					continue;
				}
				if (offset > to) {
					return new Replay(events, true, false);
				}
				HistoryEvent event = HistoryMessages.event(offset, delivery.getEnvelope(), delivery.getProperties(),
						delivery.getBody());
				if (event != null && filter.test(event)) {
					if (events.size() == limit) {
						return new Replay(events, false, false);
					}
					events.add(event);
				}
				if (offset == to) {
					return new Replay(events, true, false);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		finally {
			RabbitUtils.setPhysicalCloseRequired(channel, true);
			try {
				channel.close();
			}
			catch (IOException | TimeoutException | RuntimeException ex) {
				logger.debug("Closing a history reader channel failed: " + ex.getMessage());
			}
		}
	}

}
