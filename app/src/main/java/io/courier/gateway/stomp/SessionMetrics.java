package io.courier.gateway.stomp;

import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.LocalSession;
import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.session.SessionTerminator;

/**
 * This node's sessions, frames and relay state as Micrometer meters:
 * {@code courier.sessions} (connected now), {@code courier.session.connects} and
 * {@code courier.session.disconnects{reason}} (totals, of sessions that got CONNECTED),
 * {@code courier.frames.in} and {@code courier.frames.out} (STOMP frames accepted from
 * clients and sent to them, heart-beats not counted), of client sessions only (not the
 * node's own, {@code InternalSessions}), {@code courier.relay.broker.available} (1 or 0).
 * All are tagged with the node. Refused frames are counted where sessions are ended, in
 * {@link SessionTerminator}.
 *
 * <p>
 * A disconnect's reason is {@code client} (DISCONNECT frame), {@code closed} (socket
 * closed without one), the lower-case {@link ClientError} name when Courier ended it with
 * an ERROR (e.g. {@code rate_limited}, {@code disconnected_by_operator}), or
 * {@code error} for an ERROR from RabbitMQ or the relay.
 */
@Component
class SessionMetrics {

	private final MeterRegistry registry;

	private final LocalSessions sessions;

	private final String node;

	private final Counter connects;

	private final AtomicBoolean brokerAvailable = new AtomicBoolean();

	SessionMetrics(MeterRegistry registry, GatewayProperties properties, LocalSessions sessions) {
		this.registry = registry;
		this.sessions = sessions;
		this.node = properties.nodeId();
		Gauge.builder("courier.sessions", sessions, LocalSessions::connectedCount)
			.description("STOMP sessions connected to this node")
			.tag("node", this.node)
			.register(registry);
		this.connects = Counter.builder("courier.session.connects").tag("node", this.node).register(registry);
		FunctionCounter.builder("courier.frames.in", sessions, LocalSessions::framesIn)
			.description("STOMP frames accepted from clients")
			.tag("node", this.node)
			.register(registry);
		FunctionCounter.builder("courier.frames.out", sessions, LocalSessions::framesOut)
			.description("STOMP frames sent to clients")
			.tag("node", this.node)
			.register(registry);
		Gauge.builder("courier.relay.broker.available", this.brokerAvailable, (available) -> available.get() ? 1 : 0)
			.description("1 while the relay's system session to RabbitMQ is connected")
			.tag("node", this.node)
			.register(registry);
	}

	@EventListener
	void onBrokerAvailability(BrokerAvailabilityEvent event) {
		this.brokerAvailable.set(event.isBrokerAvailable());
	}

	@EventListener
	void onConnected(SessionConnectedEvent event) {
		String sessionId = SimpMessageHeaderAccessor.getSessionId(event.getMessage().getHeaders());
		if (sessionId != null && this.sessions.isInternal(sessionId)) {
			return;
		}
		this.connects.increment();
	}

	/** Before {@link LocalSessions} forgets the session and why it ended. */
	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void onDisconnect(SessionDisconnectEvent event) {
		LocalSession session = this.sessions.get(event.getSessionId());
		if (session != null && session.connectedAt() != null && !session.internal()) {
			Counter.builder("courier.session.disconnects")
				.tag("node", this.node)
				.tag("reason", this.sessions.endReason(event.getSessionId()))
				.register(this.registry)
				.increment();
		}
	}

}
