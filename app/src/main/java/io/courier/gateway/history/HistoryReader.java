package io.courier.gateway.history;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;
import org.springframework.stereotype.Component;

/**
 * Reads a range of the history stream for one resuming client: a short-lived consumer
 * that starts at the client's last id ({@code x-stream-offset}) and stops at the offset
 * the client's live delivery starts after. Stream offsets are not contiguous, so the read
 * starts at the last id itself, which the stream held when the client got it: if the
 * first offset delivered is above it, retention trimmed it, and the range is reported as
 * a gap (RabbitMQ starts an older offset at its first one).
 */
@Component
class HistoryReader {

	private static final Log logger = LogFactory.getLog(HistoryReader.class);

	private static final int PREFETCH = 2000;

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
	 * The latest event of each key in {@code keys} among the stream's messages from
	 * offset {@code to - lookback} (or its first, if that is older) to {@code to}, one it
	 * holds; keys without one are absent.
	 */
	Map<String, HistoryEvent> latest(Set<String> keys, long to, long lookback) throws IOException, TimeoutException {
		Map<String, HistoryEvent> latest = new HashMap<>();
		consume(Math.max(to - lookback, 0), (offset, delivery) -> {
			if (offset > to) {
				return false;
			}
			HistoryEvent event = HistoryMessages.event(offset, delivery.getEnvelope(), delivery.getProperties(),
					delivery.getBody());
			if (event != null && keys.contains(event.key())) {
				latest.put(event.key(), event);
			}
			return offset < to;
		}, to);
		return latest;
	}

	/**
	 * Events with offsets in {@code (since, to]} that {@code filter} accepts;
	 * {@code since} is an offset the stream held (or -1: from the start), {@code to} one
	 * it holds.
	 */
	Replay read(long since, long to, Predicate<HistoryEvent> filter, int limit) throws IOException, TimeoutException {
		long from = Math.max(since, 0);
		List<HistoryEvent> events = new ArrayList<>();
		boolean[] outcome = { true, false }; // complete, gap
		boolean[] first = { true };
		consume(from, (offset, delivery) -> {
			if (first[0] && offset > from) {
				outcome[1] = true;
				return false;
			}
			first[0] = false;
			if (offset <= since) {
				return true;
			}
			if (offset > to) {
				return false;
			}
			HistoryEvent event = HistoryMessages.event(offset, delivery.getEnvelope(), delivery.getProperties(),
					delivery.getBody());
			if (event != null && filter.test(event)) {
				if (events.size() == limit) {
					outcome[0] = false;
					return false;
				}
				events.add(event);
			}
			return offset != to;
		}, to);
		return outcome[1] ? new Replay(List.of(), true, true) : new Replay(events, outcome[0], false);
	}

	/**
	 * Sees each delivery of the stream from {@code from} on, in order, until {@code next}
	 * returns false.
	 */
	private interface Step {

		boolean next(long offset, Delivery delivery);

	}

	private void consume(long from, Step step, long to) throws IOException, TimeoutException {
		BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
		Channel channel = this.connectionFactory.createConnection().createChannel(false);
		try {
			channel.basicQos(PREFETCH);
			channel.basicConsume(this.topology.stream(), false, Map.of(HistoryMessages.OFFSET_HEADER, from),
					new DefaultConsumer(channel) {

						private int unacked;

						@Override
						public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
								byte[] body) throws IOException {
							deliveries.add(new Delivery(envelope, properties, body));
							if (++this.unacked >= HistoryConsumer.ACK_EVERY) {
								this.unacked = 0;
								getChannel().basicAck(envelope.getDeliveryTag(), true);
							}
						}
					});
			long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
			while (true) {
				Delivery delivery = deliveries.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
				if (delivery == null) {
					throw new TimeoutException("history stream did not deliver offsets " + from + " to " + to);
				}
				if (!step.next(HistoryMessages.offset(delivery.getProperties()), delivery)) {
					return;
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
