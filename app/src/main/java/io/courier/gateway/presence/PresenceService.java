package io.courier.gateway.presence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import io.courier.contract.ClusterMessage;
import io.courier.contract.SessionInfo;
import io.courier.gateway.cluster.ClusterMessageHandler;
import io.courier.gateway.cluster.ClusterPublisher;
import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.presence.PresenceRegistry.Transition;
import io.courier.gateway.session.LocalSession;
import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.session.SessionAttributes;

/**
 * Cluster-wide presence without a store of its own: each node announces its sessions
 * joining and leaving, and a heart-beat, on {@code courier.cluster}; every node builds
 * the same {@link PresenceRegistry} from what it hears. A starting node asks the others
 * for a snapshot; a node that stops announces it; a node that is killed falls silent and
 * is dropped after {@code courier.presence.expiry-heartbeats} heart-beats.
 *
 * <p>
 * Online/offline changes go to {@code /topic/presence.{userId}} once: the node holding
 * the session announces joins and leaves; when a node expires, the live node with the
 * smallest id announces its users going offline.
 */
@Component
class PresenceService implements Presence, ClusterMessageHandler {

	private static final Log logger = LogFactory.getLog(PresenceService.class);

	private final String nodeId;

	private final LocalSessions localSessions;

	private final PresenceProperties properties;

	private final PresenceRegistry registry;

	private final ClusterPublisher cluster;

	private final ObjectMapper mapper;

	private final SimpMessagingTemplate messaging;

	private final TaskScheduler scheduler;

	private final NodeStatusSource status;

	private volatile @Nullable ScheduledFuture<?> heartbeats;

	PresenceService(GatewayProperties gateway, PresenceProperties properties, ClusterPublisher cluster,
			ObjectMapper mapper, SimpMessagingTemplate messaging,
			@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler scheduler, NodeStatusSource status,
			LocalSessions localSessions) {
		this.localSessions = localSessions;
		this.nodeId = gateway.nodeId();
		this.properties = properties;
		this.registry = new PresenceRegistry(properties.expiry());
		this.cluster = cluster;
		this.mapper = mapper;
		this.messaging = messaging;
		this.scheduler = scheduler;
		this.status = status;
	}

	@Override
	public int sessionCount(String user) {
		return this.registry.sessionCount(user);
	}

	@Override
	public int sessionCountElsewhere(String user) {
		return this.registry.sessionCountOutside(user, this.nodeId);
	}

	PresenceRegistry registry() {
		return this.registry;
	}

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		this.registry.heartbeat(this.nodeId, Instant.now());
		announce(ClusterMessage.SNAPSHOT_REQUEST, null, null);
		this.heartbeats = this.scheduler.scheduleAtFixedRate(this::heartbeat, this.properties.heartbeat());
	}

	@EventListener
	void onClose(ContextClosedEvent event) {
		ScheduledFuture<?> heartbeats = this.heartbeats;
		if (heartbeats != null) {
			heartbeats.cancel(false);
			announce(ClusterMessage.NODE_LEAVE, null, null);
		}
	}

	@EventListener
	void onConnected(SessionConnectedEvent event) {
		Message<byte[]> message = event.getMessage();
		String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
		if (sessionId == null || event.getUser() == null) {
			return;
		}
		// The relay's CONNECTED carries no session attributes; the session followed since
		// its CONNECT has them.
		LocalSession local = this.localSessions.get(sessionId);
		if (local != null && local.internal()) {
			return; // the node's own (warm-up) session: nobody's presence
		}
		if (local != null) {
			join(sessionId, event.getUser().getName(), local.remoteAddress(), local.userAgent(), local.transport());
		}
		else {
			join(sessionId, event.getUser().getName(), SessionAttributes.get(message, SessionAttributes.REMOTE_ADDRESS),
					SessionAttributes.get(message, SessionAttributes.USER_AGENT),
					SessionAttributes.get(message, SessionAttributes.TRANSPORT));
		}
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		leave(event.getSessionId());
	}

	@Override
	public void join(String sessionId, String user, String remoteAddress, String userAgent, String transport) {
		SessionInfo session = new SessionInfo(sessionId, this.nodeId, user, Instant.now(), remoteAddress, userAgent,
				transport);
		publishTransitions(this.registry.join(session, Instant.now()));
		announce(ClusterMessage.JOIN, session, null);
	}

	@Override
	public void leave(String sessionId) {
		SessionInfo session = this.registry.session(this.nodeId, sessionId);
		if (session != null) {
			publishTransitions(this.registry.leave(this.nodeId, session.sessionId()));
			announce(ClusterMessage.LEAVE, session, null);
		}
	}

	@Override
	public boolean handles(String routingKey) {
		return routingKey.startsWith("presence.") || routingKey.startsWith("node.");
	}

	@Override
	public void handle(org.springframework.amqp.core.Message amqp) {
		ClusterMessage message = this.mapper.readValue(amqp.getBody(), ClusterMessage.class);
		if (this.nodeId.equals(message.nodeId())) {
			return;
		}
		Instant now = Instant.now();
		switch (message.type()) {
			case ClusterMessage.JOIN -> {
				if (message.session() != null) {
					this.registry.join(message.session(), now);
				}
			}
			case ClusterMessage.LEAVE -> {
				if (message.session() != null) {
					this.registry.leave(message.nodeId(), message.session().sessionId());
				}
			}
			case ClusterMessage.HEARTBEAT -> this.registry.heartbeat(message.nodeId(), now);
			case ClusterMessage.SNAPSHOT -> this.registry.snapshot(message.nodeId(),
					(message.sessions() != null) ? message.sessions() : List.of(), now);
			case ClusterMessage.SNAPSHOT_REQUEST ->
				announce(ClusterMessage.SNAPSHOT, null, this.registry.sessionsOn(this.nodeId));
			case ClusterMessage.NODE_LEAVE -> this.registry.removeNode(message.nodeId());
			default -> logger.debug("Ignoring cluster message " + message.type());
		}
	}

	private void heartbeat() {
		Instant now = Instant.now();
		this.registry.heartbeat(this.nodeId, now);
		this.cluster.publish(ClusterMessage.HEARTBEAT,
				new ClusterMessage(ClusterMessage.HEARTBEAT, this.nodeId, now, null, null, this.status.status()));
		List<Transition> expired = this.registry.expire(now, this.nodeId);
		if (!expired.isEmpty() && this.nodeId.equals(this.registry.nodes().iterator().next())) {
			publishTransitions(expired);
		}
	}

	private void announce(String type, @Nullable SessionInfo session, @Nullable List<SessionInfo> sessions) {
		this.cluster.publish(type, new ClusterMessage(type, this.nodeId, Instant.now(), session, sessions, null));
	}

	private void publishTransitions(List<Transition> transitions) {
		for (Transition transition : transitions) {
			Map<String, Object> event = Map.of("userId", transition.user(), "online", transition.online(), "sessions",
					transition.sessions(), "at", Instant.now().toString());
			SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create();
			accessor.setContentType(MimeTypeUtils.APPLICATION_JSON);
			accessor.setLeaveMutable(true);
			byte[] body = this.mapper.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
			this.messaging.send("/topic/presence." + transition.user(),
					MessageBuilder.createMessage(body, accessor.getMessageHeaders()));
		}
	}

}
