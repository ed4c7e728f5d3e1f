package io.courier.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * How a node is doing, sent in each {@code node.heartbeat} (field {@code node} of the
 * {@link ClusterMessage}). The frame counters are cumulative since the node started:
 * rates come from two heart-beats. The gateway fills every field; a reader copes without
 * the nullable ones (an older node sends no {@code brokerLinks}).
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
 * @param brokerLinks its connections to RabbitMQ: each pooled relay connection, in pool
 * order, then its AMQP connection (absent from nodes older than this field, and the AMQP
 * one until it was first opened)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeStatus(String nodeId, @Nullable String address, @Nullable Instant startedAt, long sessions,
		long framesIn, long framesOut, @Nullable String relay, @Nullable String version,
		@Nullable List<BrokerLink> brokerLinks) {

	public static final String UP = "UP";

	public static final String DOWN = "DOWN";

}
