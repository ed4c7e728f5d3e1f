package io.courier.admin.cluster;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * What a gateway node says about itself in each {@code node.heartbeat} (field
 * {@code node}); the frame counters are cumulative since the node started.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStatus(String nodeId, @Nullable String address, @Nullable Instant startedAt, long sessions,
		long framesIn, long framesOut, @Nullable String relay, @Nullable String version) {
}
