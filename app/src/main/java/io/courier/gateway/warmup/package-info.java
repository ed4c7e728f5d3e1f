/**
 * The node's warm-up before it reports ready: real work through the real code paths
 * (loopback STOMP sessions through the relay to RabbitMQ and back, RS256 verification,
 * the cluster messages' JSON), bounded in time, so that a fresh node is compiled for its
 * hot paths when a load balancer sends it its first clients. Features add their own
 * {@link io.courier.gateway.warmup.WarmupStep}s; this package knows only the kernel
 * ({@code node}, {@code session}).
 */
@NullMarked
package io.courier.gateway.warmup;

import org.jspecify.annotations.NullMarked;
