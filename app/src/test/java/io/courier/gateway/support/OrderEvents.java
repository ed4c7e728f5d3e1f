package io.courier.gateway.support;

import java.nio.charset.StandardCharsets;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitOperations;

/**
 * Publishes order events over AMQP the way a backend service does: JSON to
 * {@code courier.orders}.
 */
public final class OrderEvents {

	private OrderEvents() {
	}

	public static String json(String orderId, String userId, String status) {
		return "{\"orderId\":\"" + orderId + "\",\"userId\":\"" + userId + "\",\"status\":\"" + status
				+ "\",\"at\":\"2026-11-24T10:00:00Z\"}";
	}

	public static void publish(RabbitOperations rabbit, String orderId, String userId, String status) {
		publishRaw(rabbit, "order." + orderId, json(orderId, userId, status));
	}

	public static void publishRaw(RabbitOperations rabbit, String routingKey, String body) {
		rabbit.send("courier.orders", routingKey,
				MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
					.setContentType(MessageProperties.CONTENT_TYPE_JSON)
					.build());
	}

}
