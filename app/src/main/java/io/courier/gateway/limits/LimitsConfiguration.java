package io.courier.gateway.limits;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

import io.courier.gateway.transport.OutboundBuffers;

/**
 * Applies {@code courier.limits.*}: handshakes per remote address (a servlet filter,
 * before anything else), sessions per user and the inbound frame rate (interceptors after
 * authentication and authorization, whose configurer runs first), and the frame size.
 *
 * <p>
 * Frame size: the STOMP handler is declared to take partial WebSocket messages, so the
 * container (Jetty through the Jakarta API, see {@code StompEndpointConfiguration}) hands
 * over each chunk it read and Spring's {@code BufferingStompDecoder} assembles frames up
 * to the limit; past it the client gets ERROR {@code frame too large}. Without this the
 * container buffers whole messages only up to its own default (8 KiB on Tomcat, 64 KiB on
 * Jetty) and closes bigger ones with 1009 and no STOMP ERROR.
 *
 */
@Configuration(proxyBeanMethods = false)
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
class LimitsConfiguration implements WebSocketMessageBrokerConfigurer {

	private final LimitsProperties limits;

	private final InboundRateLimiter rateLimiter;

	private final SessionsPerUserLimiter sessionsPerUser;

	private final RuntimeLimits runtimeLimits;

	private final LimitHits hits;

	private final OutboundBuffers outboundBuffers;

	private final DisconnectCloser disconnects;

	LimitsConfiguration(LimitsProperties limits, RuntimeLimits runtimeLimits, InboundRateLimiter rateLimiter,
			SessionsPerUserLimiter sessionsPerUser, LimitHits hits, OutboundBuffers outboundBuffers) {
		this.limits = limits;
		this.runtimeLimits = runtimeLimits;
		this.hits = hits;
		this.outboundBuffers = outboundBuffers;
		this.disconnects = new DisconnectCloser(outboundBuffers);
		this.rateLimiter = rateLimiter;
		this.sessionsPerUser = sessionsPerUser;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.sessionsPerUser, this.rateLimiter, this.disconnects);
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.disconnects);
	}

	@Bean
	FilterRegistrationBean<HandshakeRateFilter> handshakeRateFilter() {
		FilterRegistrationBean<HandshakeRateFilter> registration = new FilterRegistrationBean<>(
				new HandshakeRateFilter(this.runtimeLimits, this.hits));
		registration.addUrlPatterns("/ws", "/ws/*", "/sockjs", "/sockjs/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.setMessageSizeLimit(this.limits.frameSizeBytes());
		registration.addDecoratorFactory(PartialMessagesHandler::new);
		registration.addDecoratorFactory(this.outboundBuffers::decorate);
	}

	private static final class PartialMessagesHandler extends WebSocketHandlerDecorator {

		PartialMessagesHandler(WebSocketHandler delegate) {
			super(delegate);
		}

		@Override
		public boolean supportsPartialMessages() {
			return true;
		}

	}

}
