package io.courier.contract;

/**
 * The durable topic exchange every message of this package travels on. The routing key is
 * the message's {@code type}: see {@link ClusterMessage}, {@link LimitHit},
 * {@link LimitsDocument} and {@link Control}.
 */
public final class ClusterExchange {

	public static final String NAME = "courier.cluster";

	private ClusterExchange() {
	}

}
