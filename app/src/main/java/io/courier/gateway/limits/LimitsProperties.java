package io.courier.gateway.limits;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Per-session limits, enforced by each node.
 *
 * @param frameRate SEND and SUBSCRIBE frames per second a session may sustain (token
 * bucket refill rate)
 * @param frameBurst frames a session may send at once above the rate (token bucket size)
 * @param frameSize largest STOMP frame a client may send; bigger ones get ERROR
 * {@code frame too large}
 * @param sessionsPerUser concurrent sessions one user may hold across the cluster;
 * CONNECT beyond gets ERROR {@code too many sessions}
 * @param handshakeRate WebSocket (and SockJS) handshakes per second one remote address
 * may sustain; beyond, 429
 * @param handshakeBurst handshakes one remote address may make at once above that rate
 * @param sendBufferSize bytes the node queues for one session that does not read fast
 * enough; beyond, the session is closed as a slow consumer (close status 1008, reason
 * {@code slow consumer: …})
 * @param sendTimeLimit longest a session's socket may take to accept one message; beyond,
 * the session is closed as a slow consumer
 */
@Validated
@ConfigurationProperties("courier.limits")
public record LimitsProperties(@DefaultValue("50") @DecimalMin("0.1") double frameRate,
		@DefaultValue("100") @Min(1) int frameBurst, @DefaultValue("64KB") @NotNull DataSize frameSize,
		@DefaultValue("20") @Min(1) int sessionsPerUser, @DefaultValue("20") @DecimalMin("0.1") double handshakeRate,
		@DefaultValue("40") @Min(1) int handshakeBurst, @DefaultValue("512KB") @NotNull DataSize sendBufferSize,
		@DefaultValue("10s") @NotNull Duration sendTimeLimit) {

	/** {@link #frameSize()} in bytes, as Spring's transport settings take it. */
	public int frameSizeBytes() {
		return Math.toIntExact(this.frameSize.toBytes());
	}

}
