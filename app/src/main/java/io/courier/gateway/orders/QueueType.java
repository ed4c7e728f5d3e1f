package io.courier.gateway.orders;

import java.util.Locale;

/**
 * A RabbitMQ queue type, as the {@code x-queue-type} argument names it. A queue's type is
 * fixed when it is created: declaring an existing queue with another type is refused (406
 * PRECONDITION_FAILED, "inequivalent arg").
 */
enum QueueType {

	/** One node holds the messages; RabbitMQ's default when no type is given. */
	CLASSIC,

	/**
	 * Raft-replicated over the cluster's nodes; a publish is confirmed once a majority of
	 * them has it, and the queue serves while a majority runs.
	 */
	QUORUM;

	/** The value of {@code x-queue-type}. */
	String argument() {
		return name().toLowerCase(Locale.ROOT);
	}

}
