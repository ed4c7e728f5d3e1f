package io.courier.admin.cluster;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A session (or handshake) that a gateway refused because of a limit
 * ({@code limits.hit}); {@code limit} is one of {@code frame-rate},
 * {@code sessions-per-user}, {@code handshake-rate}, {@code frame-size},
 * {@code slow-consumer}.
 */
public record LimitHit(Instant at, String nodeId, String limit, @Nullable String user, @Nullable String sessionId,
		String remoteAddress, String detail) {
}
