package io.courier.gateway.limits;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

import io.courier.contract.LimitsDocument.Limits;
import io.courier.contract.LimitsDocument.UserLimits;

/**
 * {@code GET /actuator/courierlimits} on the management port: the limits in force on this
 * node, with their version ({@code 0} = the {@code courier.limits.*} properties) and who
 * changed them when.
 */
@Component
@Endpoint(id = "courierlimits")
class LimitsEndpoint {

	private final RuntimeLimits limits;

	private final LimitsProperties properties;

	LimitsEndpoint(RuntimeLimits limits, LimitsProperties properties) {
		this.limits = limits;
		this.properties = properties;
	}

	@ReadOperation
	InForceView limits() {
		RuntimeLimits.InForce current = this.limits.current();
		return new InForceView(current.version(), current.at(), current.changedBy(),
				new Limits(current.frameRate(), current.frameBurst(), current.sessionsPerUser(),
						current.handshakeRate(), current.handshakeBurst()),
				current.overrides(), this.properties.frameSizeBytes());
	}

	/** What the endpoint shows: the document's shape, plus the fixed frame size. */
	record InForceView(long version, @Nullable Instant at, @Nullable String changedBy, Limits limits,
			Map<String, UserLimits> overrides, int frameSizeBytes) {
	}

}
