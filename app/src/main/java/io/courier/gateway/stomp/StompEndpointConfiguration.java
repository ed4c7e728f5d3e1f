package io.courier.gateway.stomp;

import java.util.List;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import io.courier.gateway.limits.LimitHits;
import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.session.SessionTerminator;

/**
 * Endpoints ({@code /ws}, {@code /sockjs}), destination prefixes and the relay to
 * RabbitMQ.
 *
 * <p>
 * The relay's pooled connections carry what the server publishes, including messages to
 * {@code /user/**}: one publish per user destination, which RabbitMQ routes to the user's
 * sessions on every node ({@link ExchangeUserDestinationResolver}), so nodes broadcast
 * neither their user registry nor unresolved user destinations to each other (Spring's
 * way, spring-framework #27806, #30347). It heart-beats with the broker through the
 * broker task scheduler, which is what makes the relay send heart-beats at all
 * (spring-framework #22822); the scheduler is injected lazily because the broker
 * configuration that creates it also consumes this configurer.
 */
@Configuration(proxyBeanMethods = false)
@Order(Ordered.LOWEST_PRECEDENCE - 1)
class StompEndpointConfiguration implements WebSocketMessageBrokerConfigurer {

	/** Destinations the relay carries to RabbitMQ. */
	static final List<String> BROKER_PREFIXES = List.of("/topic", "/queue", ExchangeUserDestinationResolver.PREFIX);

	private final GatewayProperties properties;

	private final TaskScheduler brokerScheduler;

	private final LimitHits hits;

	private final LocalSessions sessions;

	private final UserSessionFilter userSessions;

	private final SessionTerminator terminator;

	StompEndpointConfiguration(GatewayProperties properties,
			@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler brokerScheduler, LimitHits hits,
			LocalSessions sessions, SessionTerminator terminator) {
		this.terminator = terminator;
		this.properties = properties;
		this.brokerScheduler = brokerScheduler;
		this.hits = hits;
		this.sessions = sessions;
		this.userSessions = new UserSessionFilter(sessions);
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		String[] origins = this.properties.allowedOrigins().toArray(String[]::new);
		OriginHeaderInterceptor originHeader = new OriginHeaderInterceptor();
		HandshakeInfoInterceptor handshakeInfo = new HandshakeInfoInterceptor();
		// The Jakarta WebSocket API on Jetty rather than Jetty's own, which Spring would
		// pick: only the Jakarta
		// adapter hands Spring partial messages, which the frame size limit relies on
		// (LimitsConfiguration).
		DefaultHandshakeHandler handshakeHandler = new DefaultHandshakeHandler(new JakartaUpgradeStrategy());
		registry.addEndpoint("/ws")
			.setHandshakeHandler(handshakeHandler)
			.setAllowedOriginPatterns(origins)
			.addInterceptors(originHeader, handshakeInfo);
		registry.addEndpoint("/sockjs")
			.setHandshakeHandler(handshakeHandler)
			.setAllowedOriginPatterns(origins)
			.addInterceptors(originHeader, handshakeInfo)
			.withSockJS();
		registry.setErrorHandler(new StompErrorHandler(this.hits, this.sessions));
		registry.setPreserveReceiveOrder(true);
	}

	/**
	 * Unordered, so after security and limits: {@link LocalSessions} sees only the frames
	 * they accepted.
	 */
	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.sessions.inbound());
	}

	/**
	 * With the multiplexed relay, frames for clients are written on the thread that
	 * produced them (a broker connection's event loop for MESSAGEs): no hop through a
	 * pool, so each session gets them in the broker's order, and the session's
	 * {@code OutboundBuffer} never blocks that thread.
	 */
	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.userSessions.toClient(), this.sessions.outbound());
		if (this.properties.relay().engine() == GatewayProperties.Engine.MULTIPLEXED) {
			registration.executor(new SyncTaskExecutor());
		}
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.addDecoratorFactory(ReceivingSession::new);
		registration.addDecoratorFactory((handler) -> new ConnectFirst(handler, this.terminator));
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		GatewayProperties.Relay relay = this.properties.relay();
		long heartbeat = relay.heartbeat().toMillis();
		registry.setApplicationDestinationPrefixes("/app");
		registry.setUserDestinationPrefix("/user");
		if (relay.engine() == GatewayProperties.Engine.SPRING) {
			// Spring's relay hands frames to a pool: without this, messages to one
			// session overtake each other.
			registry.setPreservePublishOrder(true);
		}
		// With the multiplexed relay this registration only declares prefixes and
		// broadcasts: the handler bean
		// is replaced in StompBrokerConfiguration.
		registry.enableStompBrokerRelay(BROKER_PREFIXES.toArray(String[]::new))
			.setRelayHost(relay.host())
			.setRelayPort(relay.port())
			.setVirtualHost(relay.virtualHost())
			.setClientLogin(relay.login())
			.setClientPasscode(relay.passcode())
			.setSystemLogin(relay.login())
			.setSystemPasscode(relay.passcode())
			.setSystemHeartbeatSendInterval(heartbeat)
			.setSystemHeartbeatReceiveInterval(heartbeat)
			.setTaskScheduler(this.brokerScheduler);
		registry.configureBrokerChannel().interceptors(this.userSessions.toBroker());
	}

}
