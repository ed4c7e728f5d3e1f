package io.courier.gateway.upstream;

import io.courier.gateway.stomp.ExchangeUserDestinationResolver;

/**
 * Where a backend answers a client's request: the sender's own user destination
 * ({@code reply-to} on the SEND, e.g. {@code /user/queue/replies}) as an exchange and
 * routing key any AMQP client can publish to. Every session of the sender subscribed to
 * that destination receives the answer, on any node, and nobody else.
 *
 * @param exchange {@code courier.user}
 * @param routingKey the sender's key for that destination
 */
record ReplyAddress(String exchange, String routingKey) {

	/** Backends read the address from these AMQP headers and publish the answer there. */
	static final String EXCHANGE_HEADER = "courier-reply-exchange";

	static final String KEY_HEADER = "courier-reply-key";

	/**
	 * The prefix a {@code reply-to} must have: replies go to the sender's own user queues
	 * only.
	 */
	static final String USER_QUEUE = "/user/queue/";

	static ReplyAddress of(String replyTo, String sender) {
		return new ReplyAddress(ExchangeUserDestinationResolver.EXCHANGE,
				ExchangeUserDestinationResolver.routingKey(replyTo, sender));
	}

}
