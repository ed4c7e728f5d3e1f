package io.courier.gateway.support;

import org.springframework.amqp.rabbit.core.RabbitOperations;

/** Publishes to {@code /topic/<key>} over AMQP ({@code amq.topic}) as a backend would. */
public final class Topics {

	private Topics() {
	}

	/** In this order: all on one channel (RabbitMQ keeps order per channel only). */
	public static void publish(RabbitOperations rabbit, String key, String... bodies) {
		rabbit.invoke((operations) -> {
			for (String body : bodies) {
				operations.convertAndSend("amq.topic", key, body);
			}
			return null;
		});
	}

}
