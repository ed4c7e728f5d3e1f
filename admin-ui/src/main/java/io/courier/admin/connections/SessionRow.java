package io.courier.admin.connections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.courier.contract.SessionDetail;
import io.courier.contract.SessionDetail.Heartbeat;
import io.courier.contract.SessionDetail.Subscription;
import io.courier.contract.SessionInfo;

/**
 * One session as a page shows it: from its node's reply ({@code SessionDetail}, with
 * counters and subscriptions) or, when the node did not answer, from presence only
 * ({@code detailed} false).
 */
public record SessionRow(String sessionId, String nodeId, String user, @Nullable Instant connectedAt,
		String remoteAddress, String userAgent, String transport, boolean detailed, long framesIn, long framesOut,
		@Nullable Instant lastActivity, List<Subscription> subscriptions, long heartbeatClient, long heartbeatServer) {

	static SessionRow of(SessionInfo session) {
		return new SessionRow(session.sessionId(), session.nodeId(), session.user(), session.connectedAt(),
				orEmpty(session.remoteAddress()), orEmpty(session.userAgent()), orEmpty(session.transport()), false, 0,
				0, null, List.of(), 0, 0);
	}

	/**
	 * From a {@code SessionDetail} in a node's reply; what it leaves out is empty or 0.
	 */
	static SessionRow of(SessionDetail detail) {
		List<Subscription> subscriptions = new ArrayList<>();
		for (Subscription subscription : (detail.subscriptions() != null) ? detail.subscriptions()
				: List.<Subscription>of()) {
			subscriptions.add(new Subscription(orEmpty(subscription.id()), orEmpty(subscription.destination())));
		}
		Heartbeat heartbeat = (detail.heartbeat() != null) ? detail.heartbeat() : new Heartbeat(0, 0);
		return new SessionRow(orEmpty(detail.sessionId()), orEmpty(detail.nodeId()), orEmpty(detail.user()),
				detail.connectedAt(), orEmpty(detail.remoteAddress()), orEmpty(detail.userAgent()),
				orEmpty(detail.transport()), true, detail.framesIn(), detail.framesOut(), detail.lastActivity(),
				subscriptions, heartbeat.client(), heartbeat.server());
	}

	boolean matches(SessionFilter filter) {
		return (filter.user() == null || filter.user().equals(this.user))
				&& (filter.nodeId() == null || filter.nodeId().equals(this.nodeId))
				&& (filter.transport() == null || filter.transport().equals(this.transport))
				&& (filter.remoteAddress() == null || this.remoteAddress.startsWith(filter.remoteAddress()));
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

}
