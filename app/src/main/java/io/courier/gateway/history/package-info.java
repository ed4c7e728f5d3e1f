/**
 * The history stream ({@code courier.history}) that gives events their ids: its topology,
 * the node's consumer, a hub of subscribers with a recent window and the latest event per
 * destination, replays from an offset, and the STOMP history subscriptions. SSE, long
 * polling and STOMP's {@code courier-since} / {@code courier-last} are served from here.
 */
@NullMarked
package io.courier.gateway.history;

import org.jspecify.annotations.NullMarked;
