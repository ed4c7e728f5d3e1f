package io.courier.admin.cluster;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * One STOMP session somewhere in the cluster, as gateway nodes announce it
 * ({@code presence.join}, {@code node.snapshot}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionInfo(String sessionId, String nodeId, String user, @Nullable Instant connectedAt,
		@Nullable String remoteAddress, @Nullable String userAgent, @Nullable String transport) {
}
