package io.courier.gateway.history;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * Reads history events from stream deliveries: the offset header, and the destination the
 * message was for.
 */
final class HistoryMessages {

	static final String OFFSET_HEADER = "x-stream-offset";

	private HistoryMessages() {
	}

	/**
	 * The delivery's stream offset; RabbitMQ sets it on every message a stream consumer
	 * receives.
	 */
	static long offset(AMQP.BasicProperties properties) {
		Map<String, Object> headers = properties.getHeaders();
		Object offset = (headers != null) ? headers.get(OFFSET_HEADER) : null;
		if (!(offset instanceof Number number)) {
			throw new IllegalStateException("stream delivery without " + OFFSET_HEADER);
		}
		return number.longValue();
	}

	/**
	 * The event, or null for a message that names no client destination:
	 * {@code amq.topic} key {@code k} is {@code /topic/k}; a {@link UserEventHistory}
	 * copy names its user and destination in headers.
	 */
	static @Nullable HistoryEvent event(long offset, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
		String data = new String(body, StandardCharsets.UTF_8);
		if (HistoryTopology.TOPIC_EXCHANGE.equals(envelope.getExchange())) {
			return new HistoryEvent(offset, "/topic/" + envelope.getRoutingKey(), null, data,
					properties.getContentType());
		}
		if (HistoryTopology.EXCHANGE.equals(envelope.getExchange()) && properties.getHeaders() != null) {
			Object user = properties.getHeaders().get(UserEventHistory.USER_HEADER);
			Object destination = properties.getHeaders().get(UserEventHistory.DESTINATION_HEADER);
			if (user != null && destination != null) {
				return new HistoryEvent(offset, destination.toString(), user.toString(), data,
						properties.getContentType());
			}
		}
		return null;
	}

}
