/**
 * Upstream: what clients SEND to {@code /app/...} goes to backend services over AMQP, and
 * their answers come back to the sender's user queue.
 */
@NullMarked
package io.courier.gateway.upstream;

import org.jspecify.annotations.NullMarked;
