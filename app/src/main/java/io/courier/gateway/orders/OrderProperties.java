package io.courier.gateway.orders;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Order tracking.
 *
 * @param prefetch order events a node holds unacknowledged at once
 * @param consumerEnabled whether this node consumes order events; a node that does not
 * still delivers them to its sessions when another node forwards them
 * @param maxEventSize the largest order event accepted, as published (HTTP: 400; AMQP:
 * dead-lettered with the reason). Each event reaches an owner's session twice (topic and
 * user queue), within its send buffer
 */
@Validated
@ConfigurationProperties("courier.orders")
public record OrderProperties(@DefaultValue("50") @Min(1) @Max(10000) int prefetch,
		@DefaultValue("true") boolean consumerEnabled, @DefaultValue("64KB") DataSize maxEventSize) {

	@AssertTrue(message = "courier.orders.max-event-size must be between 1KB and 1MB")
	boolean isMaxEventSizeValid() {
		return this.maxEventSize.toBytes() >= 1024 && this.maxEventSize.toBytes() <= 1024 * 1024;
	}

	/**
	 * Durable topic exchange backend services publish to, routing key
	 * {@code order.{orderId}}.
	 */
	public static final String EXCHANGE = "courier.orders";

	/**
	 * Durable queue the gateways consume from (single active consumer: one node at a
	 * time, in order).
	 */
	public static final String QUEUE = "courier.order-events";

	/** Dead-letter exchange and queue for events that cannot be forwarded. */
	public static final String DEAD_LETTER_EXCHANGE = "courier.orders.dlx";

	public static final String DEAD_LETTER_QUEUE = "courier.order-events.dlq";

	/** Header of a dead-lettered event that says why. */
	public static final String REASON_HEADER = "x-courier-reason";

	/**
	 * The user destination an owner's sessions subscribe to, as
	 * {@code /user/queue/order-updates}.
	 */
	public static final String USER_DESTINATION = "/queue/order-updates";

	/** Topic of one order, as {@code /topic/orders.{orderId}}. */
	public static final String TOPIC_PREFIX = "/topic/orders.";

}
