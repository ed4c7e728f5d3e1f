package io.courier.gateway.orders;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.courier.gateway.orders.OrderEvent.InvalidOrderEventException;

/**
 * {@code POST /api/orders/{orderId}/events} for services that prefer HTTP to AMQP (token
 * scope {@code orders:publish}): the event takes the same path as an AMQP-published one,
 * through {@code courier.orders}. 202 means RabbitMQ confirmed it; 400 names what is
 * wrong; 503 means the broker did not confirm and the caller should retry.
 */
@RestController
class OrderEventController {

	private final ObjectMapper mapper;

	private final RabbitTemplate rabbit;

	private final OrderProperties properties;

	OrderEventController(ObjectMapper mapper, RabbitTemplate rabbit, OrderProperties properties) {
		this.properties = properties;
		this.mapper = mapper;
		this.rabbit = rabbit;
	}

	@PostMapping("/api/orders/{orderId}/events")
	ResponseEntity<Map<String, String>> publish(@PathVariable String orderId, HttpServletRequest request)
			throws IOException {
		long max = this.properties.maxEventSize().toBytes();
		if (request.getContentLengthLong() > max) {
			throw new InvalidOrderEventException(OrderEvent.tooLarge(max));
		}
		// Read no more than one byte over the limit, whatever the request claims.
		byte[] body = request.getInputStream().readNBytes(Math.toIntExact(max + 1));
		OrderEvent event = OrderEvent.parse(this.mapper, body, max);
		if (!event.orderId().equals(orderId)) {
			throw new InvalidOrderEventException(
					"orderId " + event.orderId() + " does not match the path's " + orderId);
		}
		org.springframework.amqp.core.Message message = MessageBuilder
			.withBody(event.json().getBytes(StandardCharsets.UTF_8))
			.setContentType(MessageProperties.CONTENT_TYPE_JSON)
			.setDeliveryMode(MessageDeliveryMode.PERSISTENT)
			.build();
		this.rabbit.invoke((operations) -> {
			operations.send(OrderProperties.EXCHANGE, event.routingKey(), message);
			operations.waitForConfirmsOrDie(5_000);
			return null;
		});
		return ResponseEntity.accepted().body(Map.of("orderId", event.orderId(), "status", "accepted"));
	}

	@ExceptionHandler(InvalidOrderEventException.class)
	ResponseEntity<Map<String, String>> invalid(InvalidOrderEventException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler(AmqpException.class)
	ResponseEntity<Map<String, String>> brokerFailed(AmqpException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("error", "broker did not confirm the event; retry"));
	}

}
