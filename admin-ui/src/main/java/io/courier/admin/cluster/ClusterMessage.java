package io.courier.admin.cluster;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * A message on {@code courier.cluster} as the console reads it: one lenient shape for
 * every type (the routing key), fields absent where a type does not carry them.
 *
 * @param type {@code presence.join|leave},
 * {@code node.heartbeat|snapshot|snapshot-request|leave}, {@code limits.hit},
 * {@code limits.changed}
 * @param nodeId the node that speaks
 * @param at when
 * @param session the session of a {@code presence.*}
 * @param sessions a node's sessions ({@code node.snapshot})
 * @param node a node's status ({@code node.heartbeat})
 * @param limit which limit was hit ({@code limits.hit})
 * @param user who hit it
 * @param sessionId in which session
 * @param remoteAddress from where
 * @param detail what happened
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterMessage(String type, @Nullable String nodeId, @Nullable Instant at, @Nullable SessionInfo session,
		@Nullable List<SessionInfo> sessions, @Nullable NodeStatus node, @Nullable String limit, @Nullable String user,
		@Nullable String sessionId, @Nullable String remoteAddress, @Nullable String detail) {

	public static final String EXCHANGE = "courier.cluster";

	static final String JOIN = "presence.join";

	static final String LEAVE = "presence.leave";

	static final String HEARTBEAT = "node.heartbeat";

	static final String SNAPSHOT = "node.snapshot";

	static final String SNAPSHOT_REQUEST = "node.snapshot-request";

	static final String NODE_LEAVE = "node.leave";

	static final String LIMIT_HIT = "limits.hit";

	public static final String LIMITS_CHANGED = "limits.changed";

}
