package io.courier.admin.connections;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

import io.courier.admin.cluster.ClusterView;
import io.courier.admin.cluster.ControlClient;
import io.courier.admin.cluster.ControlReplies;
import io.courier.admin.cluster.SessionInfo;

/**
 * Sessions of the whole cluster, asked of every node ({@code control.sessions},
 * {@code control.session}, {@code control.disconnect}). A node that does not answer in
 * time is named, and its sessions are still listed from presence (without counters), so
 * the list is complete either way.
 */
@Component
class ClusterSessions {

	private final ControlClient control;

	private final ClusterView cluster;

	ClusterSessions(ControlClient control, ClusterView cluster) {
		this.control = control;
		this.cluster = cluster;
	}

	SessionList list(SessionFilter filter) {
		List<String> nodes = this.cluster.nodeIds();
		ControlReplies replies = nodes.isEmpty() ? new ControlReplies(List.of(), List.of())
				: this.control.request("sessions", filter.request(), nodes);
		List<SessionRow> rows = new ArrayList<>();
		Set<String> answered = new HashSet<>();
		for (JsonNode reply : replies.replies()) {
			answered.add(reply.path("nodeId").asString(""));
			for (JsonNode session : reply.path("sessions")) {
				rows.add(SessionRow.of(session));
			}
		}
		for (SessionInfo session : this.cluster.sessions()) {
			if (!answered.contains(session.nodeId())) {
				rows.add(SessionRow.of(session));
			}
		}
		List<SessionRow> matching = rows.stream()
			.filter((row) -> row.matches(filter))
			.sorted(Comparator.comparing(SessionRow::user).thenComparing(SessionRow::sessionId))
			.toList();
		return new SessionList(matching, replies.missing());
	}

	/**
	 * The session's detail from its node, or what presence knows of it, or null if the
	 * cluster does not know it.
	 */
	@Nullable SessionDetailView detail(String sessionId) {
		SessionInfo known = this.cluster.session(sessionId);
		List<String> nodes = (known != null) ? List.of(known.nodeId()) : this.cluster.nodeIds();
		ControlReplies replies = this.control.request("session", Map.of("sessionId", sessionId), nodes);
		for (JsonNode reply : replies.replies()) {
			if (reply.hasNonNull("session")) {
				return new SessionDetailView(SessionRow.of(reply.get("session")), List.of());
			}
		}
		return (known != null) ? new SessionDetailView(SessionRow.of(known), replies.missing()) : null;
	}

	Disconnected disconnect(Map<String, String> target, String operator) {
		Map<String, String> body = new java.util.LinkedHashMap<>(target);
		body.put("by", operator);
		ControlReplies replies = this.control.request("disconnect", body, this.cluster.nodeIds());
		int closed = replies.replies().stream().mapToInt((reply) -> reply.path("closed").asInt(0)).sum();
		return new Disconnected(closed, replies.missing());
	}

	/** Sessions matching a filter, and the nodes that did not answer. */
	record SessionList(List<SessionRow> sessions, List<String> missing) {
	}

	/** One session, and the nodes that did not answer. */
	record SessionDetailView(SessionRow session, List<String> missing) {
	}

	/** Sessions closed by a disconnect, and the nodes that did not answer. */
	record Disconnected(int closed, List<String> missing) {

		String describe() {
			return this.closed + " session(s) closed"
					+ (this.missing.isEmpty() ? "" : "; no answer from " + String.join(", ", this.missing));
		}

	}

}
