package io.courier.gateway.stomp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Session counts of this node and the relay's broker connection state, as Micrometer meters:
 * {@code courier.sessions} (connected now), {@code courier.session.connects} and
 * {@code courier.session.disconnects} (totals, of sessions that got CONNECTED), {@code courier.relay.broker.available} (1 or 0). Refused frames
 * are counted where sessions are ended, in {@link SessionTerminator}.
 */
@Component
class SessionMetrics {

	private final Set<String> connected = ConcurrentHashMap.newKeySet();

	private final Counter connects;

	private final Counter disconnects;

	private final AtomicBoolean brokerAvailable = new AtomicBoolean();

	SessionMetrics(MeterRegistry registry, GatewayProperties properties) {
		String node = properties.nodeId();
		Gauge.builder("courier.sessions", this.connected, Set::size)
			.description("STOMP sessions connected to this node")
			.tag("node", node)
			.register(registry);
		this.connects = Counter.builder("courier.session.connects").tag("node", node).register(registry);
		this.disconnects = Counter.builder("courier.session.disconnects").tag("node", node).register(registry);
		Gauge.builder("courier.relay.broker.available", this.brokerAvailable, (available) -> available.get() ? 1 : 0)
			.description("1 while the relay's system session to RabbitMQ is connected")
			.tag("node", node)
			.register(registry);
	}

	@EventListener
	void onBrokerAvailability(BrokerAvailabilityEvent event) {
		this.brokerAvailable.set(event.isBrokerAvailable());
	}

	@EventListener
	void onConnected(SessionConnectedEvent event) {
		String sessionId = SimpMessageHeaderAccessor.getSessionId(event.getMessage().getHeaders());
		if (sessionId != null && this.connected.add(sessionId)) {
			this.connects.increment();
		}
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		if (this.connected.remove(event.getSessionId())) {
			this.disconnects.increment();
		}
	}

}
