package io.courier.gateway.orders;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;

/**
 * Sends one order event to the order's topic ({@code /topic/orders.{orderId}}) and to its owner's
 * {@code /user/queue/order-updates}, through the broker relay, so subscribers on every node receive it.
 */
@Component
class OrderEventForwarder {

	private static final Map<String, Object> JSON = Map.of(MessageHeaders.CONTENT_TYPE, MimeTypeUtils.APPLICATION_JSON);

	private final SimpMessagingTemplate messaging;

	OrderEventForwarder(SimpMessagingTemplate messaging) {
		this.messaging = messaging;
	}

	void forward(OrderEvent event) {
		byte[] body = event.json().getBytes(StandardCharsets.UTF_8);
		this.messaging.convertAndSend(OrderProperties.TOPIC_PREFIX + event.orderId(), body, JSON);
		this.messaging.convertAndSendToUser(event.userId(), OrderProperties.USER_DESTINATION, body, JSON);
	}

}
