package io.courier.gateway.stomp;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.web.socket.config.annotation.DelegatingWebSocketMessageBrokerConfiguration;

/**
 * The STOMP message broker of a gateway node: Spring's broker relay to RabbitMQ's STOMP plugin.
 *
 * <p>{@code /topic/**} and {@code /queue/**} are relayed to RabbitMQ with the gateway's own credentials; a
 * shared system session (with heart-beats, driven by the broker task scheduler, spring-framework #22822)
 * carries what the server publishes and the two cluster-wide user broadcasts: the user registry and
 * unresolved user destinations, so {@code /user/**} reaches a user connected to any node
 * (spring-framework #27806, #30347).
 *
 * <p>This class extends {@link DelegatingWebSocketMessageBrokerConfiguration} (what
 * {@code @EnableWebSocketMessageBroker} imports) only to replace the user destination resolver with
 * {@link ExchangeUserDestinationResolver}, which keeps RabbitMQ free of per-session queues.
 */
@Configuration(proxyBeanMethods = false)
class StompBrokerConfiguration extends DelegatingWebSocketMessageBrokerConfiguration {

	@Override
	@Bean
	public UserDestinationResolver userDestinationResolver(SimpUserRegistry userRegistry,
			AbstractSubscribableChannel clientInboundChannel, AbstractSubscribableChannel clientOutboundChannel) {
		// The resolver's default prefix, "/user/", is the one StompEndpointConfiguration registers.
		return new ExchangeUserDestinationResolver(userRegistry);
	}

}
