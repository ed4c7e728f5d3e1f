package io.courier.admin.cluster;

import java.time.Instant;

/** A user went online (first session in the cluster) or offline (last session gone). */
public record PresenceChange(Instant at, String user, boolean online, String nodeId) {
}
