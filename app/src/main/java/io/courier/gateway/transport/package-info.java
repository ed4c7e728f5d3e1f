/**
 * The outbound write path of WebSocket and SockJS sessions: a bounded buffer per session,
 * the writers that drain it without blocking a caller (Jetty's core API for WebSocket, a
 * thread for SockJS), and slow-consumer closes.
 */
@NullMarked
package io.courier.gateway.transport;

import org.jspecify.annotations.NullMarked;
