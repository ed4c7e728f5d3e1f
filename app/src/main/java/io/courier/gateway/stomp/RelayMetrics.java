package io.courier.gateway.stomp;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.stereotype.Component;

import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.relay.MultiplexedRelayMessageHandler;

/**
 * The multiplexed relay's state as gauges:
 * {@code courier.relay.connections{state=up|down}}, {@code courier.relay.topics} and
 * {@code courier.relay.broker.subscriptions}. Nothing with Spring's relay.
 */
@Component
class RelayMetrics implements MeterBinder {

	private final ObjectProvider<AbstractBrokerMessageHandler> handler;

	private final String nodeId;

	RelayMetrics(@Qualifier("stompBrokerRelayMessageHandler") ObjectProvider<AbstractBrokerMessageHandler> handler,
			GatewayProperties properties) {
		this.handler = handler;
		this.nodeId = properties.nodeId();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "courier.relay.connections", "up", (stats) -> stats.connectionsUp());
		gauge(registry, "courier.relay.connections", "down", (stats) -> stats.connections() - stats.connectionsUp());
		gauge(registry, "courier.relay.topics", null, MultiplexedRelayMessageHandler.Stats::topics);
		gauge(registry, "courier.relay.broker.subscriptions", null,
				MultiplexedRelayMessageHandler.Stats::brokerSubscriptions);
	}

	private void gauge(MeterRegistry registry, String name, @Nullable String state,
			ToDoubleFunction<MultiplexedRelayMessageHandler.Stats> value) {
		Gauge.Builder<RelayMetrics> gauge = Gauge.builder(name, this, (metrics) -> {
			if (metrics.handler.getIfAvailable() instanceof MultiplexedRelayMessageHandler relay) {
				return value.applyAsDouble(relay.stats());
			}
			return Double.NaN;
		}).tag("node", this.nodeId);
		if (state != null) {
			gauge.tag("state", state);
		}
		gauge.register(registry);
	}

}
