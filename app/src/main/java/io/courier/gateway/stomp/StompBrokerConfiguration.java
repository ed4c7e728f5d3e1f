package io.courier.gateway.stomp;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.simp.user.UserDestinationResolver;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.DelegatingWebSocketMessageBrokerConfiguration;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.relay.EncodedFrame;
import io.courier.gateway.relay.FrameWriter;
import io.courier.gateway.relay.MultiplexedRelayMessageHandler;
import io.courier.gateway.relay.NodeQueueBindings;
import io.courier.gateway.relay.RelaySettings;
import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.transport.OutboundBuffers;

/**
 * The STOMP message broker of a gateway node: Courier's
 * {@link MultiplexedRelayMessageHandler} to RabbitMQ's STOMP plugin (or, with
 * {@code courier.relay.engine=spring}, Spring's stock relay, kept for comparison).
 *
 * <p>
 * {@code /topic/**} and {@code /queue/**} are relayed to RabbitMQ with the gateway's own
 * credentials. What the server publishes travels on the relay's broker connections too,
 * {@code /user/**} included: RabbitMQ routes it to the user's sessions on every node
 * ({@link ExchangeUserDestinationResolver}).
 *
 * <p>
 * This class extends {@link DelegatingWebSocketMessageBrokerConfiguration} (what
 * {@code @EnableWebSocketMessageBroker} imports) to replace the broker handler bean, and
 * the user destination resolver with {@link ExchangeUserDestinationResolver}, which keeps
 * RabbitMQ free of per-session queues. The relay registration in
 * {@link StompEndpointConfiguration} still declares the prefixes.
 */
@Configuration(proxyBeanMethods = false)
class StompBrokerConfiguration extends DelegatingWebSocketMessageBrokerConfiguration {

	private final GatewayProperties properties;

	private final TaskScheduler brokerScheduler;

	private final ObjectProvider<OutboundBuffers> outboundBuffers;

	private final ObjectProvider<LocalSessions> localSessions;

	private final ObjectProvider<NodeQueueBindings> nodeQueueBindings;

	StompBrokerConfiguration(GatewayProperties properties,
			@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler brokerScheduler,
			ObjectProvider<OutboundBuffers> outboundBuffers, ObjectProvider<LocalSessions> localSessions,
			ObjectProvider<NodeQueueBindings> nodeQueueBindings) {
		this.nodeQueueBindings = nodeQueueBindings;
		this.properties = properties;
		this.brokerScheduler = brokerScheduler;
		this.outboundBuffers = outboundBuffers;
		this.localSessions = localSessions;
	}

	/**
	 * With the multiplexed relay, Spring's handler writes to each session's
	 * {@code OutboundBuffer} as it is, not through the
	 * {@link ConcurrentWebSocketSessionDecorator} it adds by default: the buffer is
	 * already bounded, never blocks and serializes writes, and the relay's topic fan-out
	 * writes to the same buffer directly, so both paths must meet in one queue to keep a
	 * session's frames in order.
	 */
	@Override
	@Bean
	public WebSocketHandler subProtocolWebSocketHandler(AbstractSubscribableChannel clientInboundChannel,
			AbstractSubscribableChannel clientOutboundChannel) {
		if (this.properties.relay().engine() == GatewayProperties.Engine.SPRING) {
			return super.subProtocolWebSocketHandler(clientInboundChannel, clientOutboundChannel);
		}
		SubProtocolWebSocketHandler handler = new SubProtocolWebSocketHandler(clientInboundChannel,
				clientOutboundChannel) {

			@Override
			protected WebSocketSession decorateSession(WebSocketSession session) {
				return session;
			}

		};
		handler.setPhase(getPhase());
		return handler;
	}

	@Override
	@Bean
	public UserDestinationResolver userDestinationResolver(SimpUserRegistry userRegistry,
			AbstractSubscribableChannel clientInboundChannel, AbstractSubscribableChannel clientOutboundChannel) {
		// Its prefix, "/user/", is the one StompEndpointConfiguration registers; it needs
		// no user registry.
		return new ExchangeUserDestinationResolver();
	}

	@Override
	@Bean
	public @Nullable AbstractBrokerMessageHandler stompBrokerRelayMessageHandler(
			AbstractSubscribableChannel clientInboundChannel, AbstractSubscribableChannel clientOutboundChannel,
			AbstractSubscribableChannel brokerChannel, UserDestinationMessageHandler userDestinationMessageHandler,
			@Nullable MessageHandler userRegistryMessageHandler, UserDestinationResolver userDestinationResolver) {
		GatewayProperties.Relay relay = this.properties.relay();
		if (relay.engine() == GatewayProperties.Engine.SPRING) {
			return super.stompBrokerRelayMessageHandler(clientInboundChannel, clientOutboundChannel, brokerChannel,
					userDestinationMessageHandler, userRegistryMessageHandler, userDestinationResolver);
		}
		GatewayProperties.ClientHeartbeat heartbeat = this.properties.clientHeartbeat();
		RelaySettings settings = new RelaySettings(relay.brokerAddresses(), relay.virtualHost(), relay.login(),
				relay.passcode(), relay.connections(), relay.heartbeat(), relay.reconnectDelay(),
				relay.maxReconnectDelay(), heartbeat.send(), heartbeat.receive());
		MultiplexedRelayMessageHandler handler = new MultiplexedRelayMessageHandler(clientInboundChannel,
				clientOutboundChannel, brokerChannel, StompEndpointConfiguration.BROKER_PREFIXES, settings,
				this.brokerScheduler);
		handler.setFrameWriter(frameWriter());
		handler.setSharedDestinationPrefixes(List.of("/topic/", ExchangeUserDestinationResolver.PREFIX));
		if (relay.nodeQueues() > 0) {
			String prefix = "courier.node." + this.properties.nodeId() + "."
					+ UUID.randomUUID().toString().substring(0, 8) + ".";
			handler.setNodeQueues(prefix, relay.nodeQueues(), this.nodeQueueBindings.getObject());
		}
		handler.setUserDestinationPredicate((candidate) -> candidate.startsWith("/user/"));
		handler.setPhase(getPhase());
		return handler;
	}

	/**
	 * Topic MESSAGEs encoded once by the relay, held in the session's outbound buffer
	 * until the relay has fanned out the read they came in, and counted.
	 */
	private FrameWriter frameWriter() {
		return new FrameWriter() {

			private @Nullable OutboundBuffers buffers;

			private @Nullable LocalSessions sessions;

			@Override
			public boolean write(String sessionId, EncodedFrame frame, Consumer<Runnable> releases) {
				OutboundBuffers buffers = this.buffers;
				LocalSessions sessions = this.sessions;
				if (buffers == null || sessions == null) {
					// resolved on first use: these beans sit on the other side of the
					// WebSocket configuration
					buffers = StompBrokerConfiguration.this.outboundBuffers.getObject();
					sessions = StompBrokerConfiguration.this.localSessions.getObject();
					this.buffers = buffers;
					this.sessions = sessions;
				}
				if (!buffers.hold(sessionId, frame.as(TextMessage::new), releases)) {
					return false;
				}
				sessions.sentMessage(sessionId);
				return true;
			}

		};
	}

}
