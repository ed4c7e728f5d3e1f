/**
 * Courier's multiplexed STOMP relay: a few STOMP connections per node to RabbitMQ, one
 * broker subscription per topic per node with fan-out in the JVM, client subscriptions to
 * queues multiplexed over the same connections. Self-contained: it depends on Spring's
 * messaging abstractions only, not on the rest of the gateway.
 */
@NullMarked
package io.courier.gateway.relay;

import org.jspecify.annotations.NullMarked;
