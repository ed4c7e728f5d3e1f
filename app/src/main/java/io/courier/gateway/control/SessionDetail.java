package io.courier.gateway.control;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.courier.gateway.session.LocalSession;

/**
 * One session as a node describes it to the console: the presence fields
 * ({@code SessionInfo}) and what only the holding node knows.
 *
 * @param subscriptions live subscriptions, in the order they were made
 * @param framesIn STOMP frames accepted from the client
 * @param framesOut STOMP frames sent to it
 * @param heartbeat the negotiated heart-beat in ms, each way; 0 = off
 * @param lastActivity the last frame or heart-beat from the client
 */
record SessionDetail(String sessionId, String nodeId, String user, @Nullable Instant connectedAt, String remoteAddress,
		String userAgent, String transport, List<Subscription> subscriptions, long framesIn, long framesOut,
		Heartbeat heartbeat, Instant lastActivity) {

	record Subscription(String id, String destination) {
	}

	/**
	 * @param client client to server
	 * @param server server to client
	 */
	record Heartbeat(long client, long server) {
	}

	static SessionDetail of(LocalSession session, String nodeId) {
		long[] heartbeat = session.heartbeat();
		return new SessionDetail(session.sessionId(), nodeId, session.user(), session.connectedAt(),
				session.remoteAddress(), session.userAgent(), session.transport(),
				session.subscriptions()
					.entrySet()
					.stream()
					.map((s) -> new Subscription(s.getKey(), s.getValue()))
					.toList(),
				session.framesIn(), session.framesOut(), new Heartbeat(heartbeat[0], heartbeat[1]),
				session.lastActivity());
	}

}
