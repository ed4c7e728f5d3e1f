package io.courier.gateway.stomp;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.user.DefaultUserDestinationResolver;
import org.springframework.messaging.simp.user.SimpUserRegistry;

/**
 * Resolves {@code /user/queue/order-updates} of session {@code s1} to
 * {@code /exchange/courier.user/queue.order-updates-users1} instead of Spring's default
 * {@code /queue/order-updates-users1}.
 *
 * <p>On RabbitMQ's STOMP plugin a {@code /queue/} destination declares a durable queue per session that
 * outlives it (spring-framework #34734), and forcing {@code auto-delete} on it breaks the system session's SEND
 * with PRECONDITION_FAILED (stomp-js/stompjs #415). An {@code /exchange/} SUBSCRIBE instead binds an exclusive,
 * auto-deleted queue that RabbitMQ removes with the subscription, and a SEND to it is a plain publish that
 * declares nothing. Messages for a user with no live subscription are dropped, exactly as for a topic.
 */
class ExchangeUserDestinationResolver extends DefaultUserDestinationResolver {

	/** Destination prefix relayed to RabbitMQ for user destinations; clients may never use it directly. */
	static final String PREFIX = "/exchange/courier.user/";

	ExchangeUserDestinationResolver(SimpUserRegistry userRegistry) {
		super(userRegistry);
	}

	@Override
	protected @Nullable String getTargetDestination(String sourceDestination, String actualDestination,
			String sessionId, @Nullable String user) {
		String key = (actualDestination.startsWith("/") ? actualDestination.substring(1) : actualDestination)
			.replace('/', '.');
		return PREFIX + key + "-user" + sessionId;
	}

}
