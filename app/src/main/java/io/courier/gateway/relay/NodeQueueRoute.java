package io.courier.gateway.relay;

/**
 * The broker subscription to node queue {@code index}, consumed on the pooled connection
 * of the same index.
 */
record NodeQueueRoute(int index) implements Route {
}
