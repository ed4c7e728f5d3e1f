package io.courier.contract;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One STOMP session somewhere in the cluster, as the node holding it announces it
 * ({@code presence.join}, {@code presence.leave}, {@code node.snapshot}). The gateway
 * fills every field; a reader copes without the nullable ones.
 *
 * @param sessionId the session id on its node
 * @param nodeId the node that holds it
 * @param user the principal name ({@code sub})
 * @param connectedAt when it got CONNECTED
 * @param remoteAddress the client's address as the node saw it (its IP, no port: behind a
 * trusted proxy, the one {@code X-Forwarded-For} names)
 * @param userAgent the handshake's User-Agent, or empty
 * @param transport {@code websocket}, {@code sockjs}, {@code sse} or {@code poll}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionInfo(String sessionId, String nodeId, String user, @Nullable Instant connectedAt,
		@Nullable String remoteAddress, @Nullable String userAgent, @Nullable String transport) {
}
