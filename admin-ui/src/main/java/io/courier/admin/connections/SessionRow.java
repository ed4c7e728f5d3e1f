package io.courier.admin.connections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import io.courier.admin.cluster.SessionInfo;

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

	/** From a {@code SessionDetail} in a node's reply. */
	static SessionRow of(JsonNode detail) {
		List<Subscription> subscriptions = new ArrayList<>();
		for (JsonNode subscription : detail.path("subscriptions")) {
			subscriptions.add(new Subscription(subscription.path("id").asString(""),
					subscription.path("destination").asString("")));
		}
		return new SessionRow(detail.path("sessionId").asString(""), detail.path("nodeId").asString(""),
				detail.path("user").asString(""), instant(detail.path("connectedAt")),
				detail.path("remoteAddress").asString(""), detail.path("userAgent").asString(""),
				detail.path("transport").asString(""), true, detail.path("framesIn").asLong(0),
				detail.path("framesOut").asLong(0), instant(detail.path("lastActivity")), subscriptions,
				detail.path("heartbeat").path("client").asLong(0), detail.path("heartbeat").path("server").asLong(0));
	}

	boolean matches(SessionFilter filter) {
		return (filter.user() == null || filter.user().equals(this.user))
				&& (filter.nodeId() == null || filter.nodeId().equals(this.nodeId))
				&& (filter.transport() == null || filter.transport().equals(this.transport))
				&& (filter.remoteAddress() == null || this.remoteAddress.startsWith(filter.remoteAddress()));
	}

	private static @Nullable Instant instant(JsonNode node) {
		String text = node.asString(null);
		return (text != null && !text.isEmpty()) ? Instant.parse(text) : null;
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	/** A STOMP subscription of the session. */
	public record Subscription(String id, String destination) {
	}

}
