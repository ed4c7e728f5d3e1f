package io.courier.gateway.presence;

import java.time.Instant;

/**
 * How a node is doing, sent in each {@code node.heartbeat} for the console.
 *
 * @param nodeId the node
 * @param address where its HTTP/WebSocket port listens, e.g.
 * {@code http://127.0.0.1:8080}
 * @param startedAt when it started
 * @param sessions STOMP sessions connected to it now
 * @param framesIn STOMP frames it accepted from clients since start (rates come from two
 * heart-beats)
 * @param framesOut STOMP frames it sent to clients since start
 * @param relay {@code UP} while its relay's system session to RabbitMQ is connected, else
 * {@code DOWN}
 * @param version the gateway's version
 */
record NodeStatus(String nodeId, String address, Instant startedAt, int sessions, long framesIn, long framesOut,
		String relay, String version) {
}
