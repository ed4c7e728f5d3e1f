package io.courier.gateway.orders;

import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An order event as backend services publish it: a JSON object with at least
 * {@code orderId}, {@code userId} and {@code status}; any other field ({@code at},
 * amounts, ...) travels to clients untouched.
 *
 * @param orderId the order, also the routing key's suffix ({@code order.{orderId}})
 * @param userId the order's owner, the principal name ({@code sub}) of their sessions
 * @param status the new status
 * @param json the whole event as received, re-serialized compactly
 */
record OrderEvent(String orderId, String userId, String status, String json) {

	static final String ROUTING_KEY_PREFIX = "order.";

	private static final Pattern ORDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	/**
	 * Parses and validates an event; the exception's message is the reason given to the
	 * dead-letter queue.
	 */
	/** Parses {@code body}, refusing one of more than {@code maxBytes}. */
	static OrderEvent parse(ObjectMapper mapper, byte[] body, long maxBytes) {
		if (body.length > maxBytes) {
			throw new InvalidOrderEventException(tooLarge(maxBytes));
		}
		return parse(mapper, body);
	}

	static String tooLarge(long maxBytes) {
		return "event is larger than " + maxBytes + " bytes (courier.orders.max-event-size)";
	}

	static OrderEvent parse(ObjectMapper mapper, byte[] body) {
		JsonNode node;
		try {
			node = mapper.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidOrderEventException("body is not JSON: " + ex.getOriginalMessage());
		}
		if (!(node instanceof ObjectNode object)) {
			throw new InvalidOrderEventException("body is not a JSON object");
		}
		String orderId = scalar(object, "orderId");
		if (!ORDER_ID.matcher(orderId).matches()) {
			throw new InvalidOrderEventException("orderId must match " + ORDER_ID.pattern());
		}
		return new OrderEvent(orderId, scalar(object, "userId"), scalar(object, "status"), object.toString());
	}

	String routingKey() {
		return ROUTING_KEY_PREFIX + this.orderId;
	}

	private static String scalar(ObjectNode object, String field) {
		JsonNode value = object.get(field);
		if (value == null || !(value.isString() || value.isIntegralNumber()) || value.asString().isBlank()) {
			throw new InvalidOrderEventException("missing or empty field '" + field + "'");
		}
		return value.asString();
	}

	/** The event cannot be forwarded as it is; publishing it again will not help. */
	static class InvalidOrderEventException extends RuntimeException {

		InvalidOrderEventException(String reason) {
			super(reason);
		}

	}

}
