package io.courier.gateway.presence;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What gateway nodes say to each other on the {@code courier.cluster} topic exchange, as
 * JSON; the routing key is the type. Part of the public contract: backends may bind a
 * queue to {@code presence.*} to learn of sessions joining and leaving (a disconnect
 * webhook without a webhook).
 *
 * @param type {@code presence.join}, {@code presence.leave}, {@code node.heartbeat},
 * {@code node.snapshot}, {@code node.snapshot-request} or {@code node.leave}
 * @param nodeId the node that speaks
 * @param at when
 * @param session the session joining or leaving ({@code presence.*})
 * @param sessions every session of the node ({@code node.snapshot})
 * @param node how the node is doing ({@code node.heartbeat})
 */
record ClusterMessage(String type, String nodeId, Instant at, @Nullable SessionInfo session,
		@Nullable List<SessionInfo> sessions, @Nullable NodeStatus node) {

	static final String JOIN = "presence.join";

	static final String LEAVE = "presence.leave";

	static final String HEARTBEAT = "node.heartbeat";

	static final String SNAPSHOT = "node.snapshot";

	static final String SNAPSHOT_REQUEST = "node.snapshot-request";

	static final String NODE_LEAVE = "node.leave";

}
