package io.courier.gateway.stomp;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.stereotype.Component;

import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.relay.MultiplexedRelayMessageHandler;

/**
 * Health {@code relay}: UP only while the relay can serve clients (its
 * {@code BrokerAvailabilityEvent}: a broker connection up, and with node queues one whose
 * queue is ready; with {@code engine=spring}, its system session). Until then (at start,
 * or while the broker is away) every CONNECT gets {@code broker unavailable}, so the node
 * is not ready; it is part of the readiness group and of the overall status. Its details
 * say which broker addresses the relay uses and, for Courier's relay, which address each
 * pooled connection is on and whether it is up.
 */
@Component("relay")
class RelayHealthIndicator implements HealthIndicator {

	private final AtomicBoolean available = new AtomicBoolean();

	private final GatewayProperties properties;

	private final ObjectProvider<AbstractBrokerMessageHandler> relay;

	RelayHealthIndicator(GatewayProperties properties,
			@Qualifier("stompBrokerRelayMessageHandler") ObjectProvider<AbstractBrokerMessageHandler> relay) {
		this.properties = properties;
		this.relay = relay;
	}

	@EventListener
	void onBrokerAvailability(BrokerAvailabilityEvent event) {
		this.available.set(event.isBrokerAvailable());
	}

	@Override
	public Health health() {
		GatewayProperties.Relay relay = this.properties.relay();
		Health.Builder health = this.available.get() ? Health.up() : Health.down();
		health.withDetail("broker", String.join(",", relay.brokerAddresses()) + "/" + relay.virtualHost());
		if (this.relay.getIfAvailable() instanceof MultiplexedRelayMessageHandler multiplexed) {
			health.withDetail("connections", multiplexed.connections());
		}
		return health.build();
	}

}
