package io.courier.contract;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * What gateway nodes say about their sessions and themselves on {@code courier.cluster}
 * ({@code presence.*}, {@code node.*}); the routing key is the type. Every node and the
 * console read them; backends may bind a queue to {@code presence.*} to learn of sessions
 * joining and leaving (a disconnect webhook without a webhook).
 *
 * @param type {@link #JOIN}, {@link #LEAVE}, {@link #HEARTBEAT}, {@link #SNAPSHOT},
 * {@link #SNAPSHOT_REQUEST} or {@link #NODE_LEAVE}
 * @param nodeId the node that speaks (the console asking for a snapshot names itself
 * {@code console-…})
 * @param at when
 * @param session the session joining or leaving ({@code presence.*})
 * @param sessions every session of the node ({@code node.snapshot})
 * @param node how the node is doing ({@code node.heartbeat})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterMessage(String type, @Nullable String nodeId, @Nullable Instant at, @Nullable SessionInfo session,
		@Nullable List<SessionInfo> sessions, @Nullable NodeStatus node) {

	/** A session got CONNECTED on the node that announces it. */
	public static final String JOIN = "presence.join";

	/** A session of the announcing node ended. */
	public static final String LEAVE = "presence.leave";

	/**
	 * The node is alive, with its {@link NodeStatus}; every
	 * {@code courier.presence.heartbeat}.
	 */
	public static final String HEARTBEAT = "node.heartbeat";

	/** The node's full list of sessions, in answer to a {@link #SNAPSHOT_REQUEST}. */
	public static final String SNAPSHOT = "node.snapshot";

	/** A starting node (or the console) asks every node for a {@link #SNAPSHOT}. */
	public static final String SNAPSHOT_REQUEST = "node.snapshot-request";

	/** The node is stopping; its sessions are gone with it. */
	public static final String NODE_LEAVE = "node.leave";

}
