package io.courier.contract;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * How a node is doing, sent in each {@code node.heartbeat} (field {@code node} of the
 * {@link ClusterMessage}). The frame counters are cumulative since the node started:
 * rates come from two heart-beats. The gateway fills every field; a reader copes without
 * the nullable ones.
 *
 * @param nodeId the node
 * @param address where its HTTP/WebSocket port listens, e.g.
 * {@code http://127.0.0.1:8080} (empty until it does)
 * @param startedAt when it started
 * @param sessions STOMP sessions connected to it now
 * @param framesIn STOMP frames it accepted from clients since start
 * @param framesOut STOMP frames it sent to clients since start
 * @param relay {@link #UP} while its relay's system session to RabbitMQ is connected,
 * else {@link #DOWN}
 * @param version the gateway's version
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeStatus(String nodeId, @Nullable String address, @Nullable Instant startedAt, long sessions,
		long framesIn, long framesOut, @Nullable String relay, @Nullable String version) {

	public static final String UP = "UP";

	public static final String DOWN = "DOWN";

}
