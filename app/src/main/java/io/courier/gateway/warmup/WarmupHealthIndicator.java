package io.courier.gateway.warmup;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health {@code warmup} (the bean name less {@code HealthIndicator}), in the readiness
 * group: OUT_OF_SERVICE until the node's {@link Warmup} is over (or disabled), then UP
 * with what it did. Liveness does not include it: a node that warms up is alive.
 */
@Component
class WarmupHealthIndicator implements HealthIndicator {

	private final Warmup warmup;

	WarmupHealthIndicator(Warmup warmup) {
		this.warmup = warmup;
	}

	@Override
	public Health health() {
		Warmup.Result result = this.warmup.result();
		if (result == null) {
			return Health.outOfService().withDetail("warmup", "running").build();
		}
		return Health.up()
			.withDetail("outcome", result.outcome())
			.withDetail("ms", result.took().toMillis())
			.withDetail("steps", result.steps())
			.build();
	}

}
