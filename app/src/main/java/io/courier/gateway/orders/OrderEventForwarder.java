package io.courier.gateway.orders;

import java.nio.charset.StandardCharsets;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;

import io.courier.gateway.history.UserEventHistory;

/**
 * Sends one order event to the order's topic ({@code /topic/orders.{orderId}}) and to its
 * owner's {@code /user/queue/order-updates}, through the broker relay, so subscribers on
 * every node receive it.
 *
 * <p>
 * The message is built here with {@code content-type: application/json} rather than
 * converted: a byte payload converted by the template is labelled
 * {@code application/octet-stream}, which Spring then writes as a binary WebSocket frame,
 * and SockJS sessions refuse binary frames.
 *
 * <p>
 * SSE and poll clients get the topic copy from history (the stream is bound to
 * {@code amq.topic}); the user copy is recorded once per user by
 * {@link UserEventHistory}, since STOMP's user destinations are per session.
 */
@Component
class OrderEventForwarder {

	private final SimpMessagingTemplate messaging;

	private final UserEventHistory history;

	OrderEventForwarder(SimpMessagingTemplate messaging, UserEventHistory history) {
		this.messaging = messaging;
		this.history = history;
	}

	void forward(OrderEvent event) {
		byte[] body = event.json().getBytes(StandardCharsets.UTF_8);
		// First, and confirmed: if it fails, the event is requeued before any STOMP
		// client has seen it.
		this.history.record(event.userId(), "/user" + OrderProperties.USER_DESTINATION, body);
		this.messaging.send(OrderProperties.TOPIC_PREFIX + event.orderId(), json(body));
		// What convertAndSendToUser does, minus the conversion: "/user/{name}/..." with
		// '/' escaped in the name.
		String user = event.userId().replace("/", "%2F");
		this.messaging.send("/user/" + user + OrderProperties.USER_DESTINATION, json(body));
	}

	private static Message<byte[]> json(byte[] body) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create();
		accessor.setContentType(MimeTypeUtils.APPLICATION_JSON);
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

}
