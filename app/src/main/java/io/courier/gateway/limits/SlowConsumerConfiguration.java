package io.courier.gateway.limits;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.transport.OutboundBuffers;

/**
 * The slow-consumer limit: the outbound buffers of WebSocket and SockJS sessions, sized
 * by {@code courier.limits.send-buffer-size} and {@code courier.limits.send-time-limit},
 * whose closes are recorded as {@link LimitHits#SLOW_CONSUMER} hits.
 */
@Configuration(proxyBeanMethods = false)
class SlowConsumerConfiguration {

	@Bean
	OutboundBuffers outboundBuffers(LimitsProperties limits, GatewayProperties gateway, MeterRegistry meters,
			LimitHits hits) {
		return new OutboundBuffers(limits.sendBufferSize().toBytes(), limits.sendTimeLimit().toMillis(),
				gateway.nodeId(), meters, (user, sessionId, remoteAddress, reason) -> hits
					.record(LimitHits.SLOW_CONSUMER, user, sessionId, remoteAddress, reason));
	}

}
