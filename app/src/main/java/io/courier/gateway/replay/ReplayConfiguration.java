package io.courier.gateway.replay;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Puts {@link HistorySubscribeInterceptor} last on the client inbound channel: after
 * authentication, destination rules, limits and the session registry have seen (and
 * accepted) the frame.
 */
@Configuration(proxyBeanMethods = false)
@Order(Ordered.LOWEST_PRECEDENCE)
class ReplayConfiguration implements WebSocketMessageBrokerConfigurer {

	private final StompHistorySubscriptions subscriptions;

	ReplayConfiguration(StompHistorySubscriptions subscriptions) {
		this.subscriptions = subscriptions;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new HistorySubscribeInterceptor(this.subscriptions));
	}

}
