package io.courier.gateway.orders;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health {@code orders}: always UP (the gateway consumes the order queue whatever its
 * type); its details name each order queue's type, {@code quorum} or, on a broker whose
 * older classic queues are still in place, {@code classic (migration pending)} with where
 * the migration is described. Not part of the readiness group.
 */
class OrderQueuesHealthIndicator implements HealthIndicator {

	private final OrderQueueTypes types;

	OrderQueuesHealthIndicator(OrderQueueTypes types) {
		this.types = types;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up().withDetail("queues", this.types.types());
		if (this.types.migrationPending()) {
			health.withDetail("migration", OrderQueueTypes.MIGRATION);
		}
		return health.build();
	}

}
