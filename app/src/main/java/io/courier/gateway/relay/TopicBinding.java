package io.courier.gateway.relay;

import org.jspecify.annotations.Nullable;

/**
 * Where a shared destination's messages come from, as a node queue binding:
 * {@code /topic/orders.42} is {@code amq.topic} with key {@code orders.42};
 * {@code /exchange/courier.user/queue.x.u.YWxpY2U} is {@code courier.user} with key
 * {@code queue.x.u.YWxpY2U}. RabbitMQ's STOMP plugin names a delivered message's
 * destination the same way, so a MESSAGE from a node queue finds its topic by its
 * {@code destination} header.
 *
 * @param exchange the exchange to bind to
 * @param key the exact routing key (client destinations carry no wildcards: the gateway
 * refuses them)
 */
public record TopicBinding(String exchange, String key) {

	private static final String TOPIC = "/topic/";

	private static final String EXCHANGE = "/exchange/";

	/**
	 * The binding for a destination, or {@code null} if it is neither
	 * {@code /topic/<key>} nor {@code /exchange/<name>/<key>}.
	 */
	static @Nullable TopicBinding of(String destination) {
		if (destination.startsWith(TOPIC) && destination.length() > TOPIC.length()) {
			return new TopicBinding("amq.topic", destination.substring(TOPIC.length()));
		}
		if (destination.startsWith(EXCHANGE)) {
			int slash = destination.indexOf('/', EXCHANGE.length());
			if (slash > EXCHANGE.length() && slash < destination.length() - 1) {
				return new TopicBinding(destination.substring(EXCHANGE.length(), slash),
						destination.substring(slash + 1));
			}
		}
		return null;
	}

}
