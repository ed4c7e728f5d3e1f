/**
 * The node's delivery queues at the broker: declared and bound over AMQP for the relay,
 * which consumes them over STOMP.
 */
@NullMarked
package io.courier.gateway.nodequeue;

import org.jspecify.annotations.NullMarked;
