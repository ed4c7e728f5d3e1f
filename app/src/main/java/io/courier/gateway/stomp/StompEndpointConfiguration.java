package io.courier.gateway.stomp;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Endpoints ({@code /ws}, {@code /sockjs}), destination prefixes and the relay to RabbitMQ.
 *
 * <p>The relay's system session carries what the server publishes and the two cluster-wide user broadcasts,
 * the user registry and unresolved user destinations, so {@code /user/**} reaches a user connected to any node
 * (spring-framework #27806, #30347). It heart-beats with the broker through the broker task scheduler, which
 * is what makes the relay send heart-beats at all (spring-framework #22822); the scheduler is injected lazily
 * because the broker configuration that creates it also consumes this configurer.
 */
@Configuration(proxyBeanMethods = false)
class StompEndpointConfiguration implements WebSocketMessageBrokerConfigurer {

	static final String USER_REGISTRY_BROADCAST = "/topic/courier.user-registry";

	static final String UNRESOLVED_USER_BROADCAST = "/topic/courier.unresolved-user";

	static final int MESSAGE_SIZE_LIMIT = 64 * 1024;

	private final GatewayProperties properties;

	private final TaskScheduler brokerScheduler;

	StompEndpointConfiguration(GatewayProperties properties,
			@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler brokerScheduler) {
		this.properties = properties;
		this.brokerScheduler = brokerScheduler;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		String[] origins = this.properties.allowedOrigins().toArray(String[]::new);
		OriginHeaderInterceptor originHeader = new OriginHeaderInterceptor();
		registry.addEndpoint("/ws").setAllowedOriginPatterns(origins).addInterceptors(originHeader);
		registry.addEndpoint("/sockjs").setAllowedOriginPatterns(origins).addInterceptors(originHeader).withSockJS();
		registry.setErrorHandler(new StompErrorHandler());
		registry.setPreserveReceiveOrder(true);
	}

	/**
	 * Frames up to 64 KiB. The handler is declared to take partial WebSocket messages, so Tomcat hands over each
	 * chunk of its (small, per-session) read buffer and Spring's {@code BufferingStompDecoder} assembles frames
	 * up to the limit; past it the client gets ERROR {@code malformed frame: ...}. Without this Tomcat buffers
	 * whole messages only up to 8 KiB and closes bigger ones with 1009 and no STOMP ERROR.
	 */
	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.setMessageSizeLimit(MESSAGE_SIZE_LIMIT);
		registration.addDecoratorFactory(PartialMessagesHandler::new);
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		GatewayProperties.Relay relay = this.properties.relay();
		long heartbeat = relay.heartbeat().toMillis();
		registry.setApplicationDestinationPrefixes("/app");
		registry.setUserDestinationPrefix("/user");
		// The outbound channel is a thread pool: without this, messages to one session can overtake each other.
		registry.setPreservePublishOrder(true);
		registry.enableStompBrokerRelay("/topic", "/queue", ExchangeUserDestinationResolver.PREFIX)
			.setRelayHost(relay.host())
			.setRelayPort(relay.port())
			.setVirtualHost(relay.virtualHost())
			.setClientLogin(relay.login())
			.setClientPasscode(relay.passcode())
			.setSystemLogin(relay.login())
			.setSystemPasscode(relay.passcode())
			.setSystemHeartbeatSendInterval(heartbeat)
			.setSystemHeartbeatReceiveInterval(heartbeat)
			.setTaskScheduler(this.brokerScheduler)
			.setUserRegistryBroadcast(USER_REGISTRY_BROADCAST)
			.setUserDestinationBroadcast(UNRESOLVED_USER_BROADCAST);
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
