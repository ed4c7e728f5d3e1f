package io.courier.gateway.transport;

import org.jspecify.annotations.Nullable;

/**
 * Told of every session {@link OutboundBuffers} closes because it did not read what the
 * node sent it.
 */
@FunctionalInterface
public interface SlowConsumerListener {

	void slowConsumer(@Nullable String user, String sessionId, String remoteAddress, String reason);

}
