package io.courier.gateway.stomp;

import org.springframework.amqp.core.DirectExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares {@code courier.user}, the durable direct exchange user destinations ride (see
 * {@link ExchangeUserDestinationResolver}), so that a backend can publish to a user
 * before any of their sessions subscribed.
 */
@Configuration(proxyBeanMethods = false)
class UserDestinationTopology {

	@Bean
	DirectExchange userDestinationsExchange() {
		return new DirectExchange(ExchangeUserDestinationResolver.EXCHANGE, true, false);
	}

}
