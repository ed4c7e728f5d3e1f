package io.courier.gateway.presence;

import java.time.Instant;

/**
 * One STOMP session somewhere in the cluster, as nodes announce it on
 * {@code courier.cluster}.
 *
 * @param sessionId the session id on its node
 * @param nodeId the node that holds it
 * @param user the principal name ({@code sub})
 * @param connectedAt when it got CONNECTED
 * @param remoteAddress the client's address as the node saw it
 * @param userAgent the handshake's User-Agent, or empty
 * @param transport {@code websocket}, {@code sockjs}, {@code sse} or {@code poll}
 */
public record SessionInfo(String sessionId, String nodeId, String user, Instant connectedAt, String remoteAddress,
		String userAgent, String transport) {
}
