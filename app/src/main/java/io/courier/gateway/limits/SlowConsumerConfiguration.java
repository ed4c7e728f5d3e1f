package io.courier.gateway.limits;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.transport.OutboundBuffers;

/**
 * The slow-consumer limit: the outbound buffers of WebSocket and SockJS sessions, sized
 * by {@code courier.limits.send-buffer-size} and {@code courier.limits.send-time-limit},
 * whose closes are recorded as {@link LimitHits#SLOW_CONSUMER} hits and as the sessions'
 * end reason ({@code slow_consumer}).
 */
@Configuration(proxyBeanMethods = false)
class SlowConsumerConfiguration {

	@Bean
	OutboundBuffers outboundBuffers(LimitsProperties limits, MeterRegistry meters, LimitHits hits,
			LocalSessions sessions) {
		return new OutboundBuffers(limits.sendBufferSize().toBytes(), limits.sendTimeLimit().toMillis(), meters,
				(user, sessionId, remoteAddress, reason) -> {
					sessions.ending(sessionId, ClientError.SLOW_CONSUMER.reason());
					hits.record(LimitHits.SLOW_CONSUMER, user, sessionId, remoteAddress, reason);
				});
	}

}
