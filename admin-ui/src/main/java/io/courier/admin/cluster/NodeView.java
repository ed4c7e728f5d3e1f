package io.courier.admin.cluster;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.courier.contract.NodeStatus;

/**
 * A gateway node as the console last heard it.
 *
 * @param nodeId the node's id
 * @param status what its last heartbeat said (null for a gateway that does not send it)
 * @param lastHeartbeat when the console last heard from it
 * @param sessions sessions of this node the console knows of (from joins, leaves and
 * snapshots)
 * @param framesInPerSecond frames received per second between its last two heartbeats
 * @param framesOutPerSecond frames sent per second between its last two heartbeats
 */
public record NodeView(String nodeId, @Nullable NodeStatus status, Instant lastHeartbeat, int sessions,
		double framesInPerSecond, double framesOutPerSecond) {

	public @Nullable Duration uptime(Instant now) {
		return (this.status != null && this.status.startedAt() != null) ? Duration.between(this.status.startedAt(), now)
				: null;
	}

	public Duration silence(Instant now) {
		return Duration.between(this.lastHeartbeat, now);
	}

}
