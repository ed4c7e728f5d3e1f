package io.courier.gateway.upstream;

import org.jspecify.annotations.Nullable;

/**
 * Where a client's SEND goes upstream: {@code /app/orders.status} is routing key
 * {@code orders.status} on the upstream exchange ({@code /} in the rest becomes
 * {@code .}, as RabbitMQ's topic keys separate words).
 *
 * @param destination what the client sent to
 * @param routingKey the key backends bind their queues with
 */
record UpstreamRoute(String destination, String routingKey) {

	/**
	 * The route for {@code destination}, or {@code null} if it is not under
	 * {@link UpstreamProperties#PREFIX}.
	 */
	static @Nullable UpstreamRoute of(@Nullable String destination) {
		if (destination == null || !destination.startsWith(UpstreamProperties.PREFIX)
				|| destination.length() == UpstreamProperties.PREFIX.length()) {
			return null;
		}
		return new UpstreamRoute(destination,
				destination.substring(UpstreamProperties.PREFIX.length()).replace('/', '.'));
	}

}
