package io.courier.admin.connections;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import io.courier.admin.cluster.ClusterView;
import io.courier.admin.cluster.ControlClient;
import io.courier.admin.cluster.ControlReplies;
import io.courier.contract.Control;
import io.courier.contract.Control.DisconnectRequest;
import io.courier.contract.Control.Reply;
import io.courier.contract.Control.SessionRequest;
import io.courier.contract.SessionDetail;
import io.courier.contract.SessionInfo;

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
				: this.control.request(Control.SESSIONS, filter.request(), nodes);
		List<SessionRow> rows = new ArrayList<>();
		Set<String> answered = new HashSet<>();
		for (Reply reply : replies.replies()) {
			answered.add(reply.nodeId());
			for (SessionDetail session : (reply.sessions() != null) ? reply.sessions() : List.<SessionDetail>of()) {
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
		ControlReplies replies = this.control.request(Control.SESSION, new SessionRequest(sessionId), nodes);
		for (Reply reply : replies.replies()) {
			if (reply.session() != null) {
				return new SessionDetailView(SessionRow.of(reply.session()), List.of());
			}
		}
		return (known != null) ? new SessionDetailView(SessionRow.of(known), replies.missing()) : null;
	}

	/** Closes the session {@code sessionId}, or every session of {@code user}. */
	Disconnected disconnect(@Nullable String sessionId, @Nullable String user, String operator) {
		ControlReplies replies = this.control.request(Control.DISCONNECT,
				new DisconnectRequest(sessionId, user, operator), this.cluster.nodeIds());
		int closed = replies.replies()
			.stream()
			.mapToInt((reply) -> (reply.closed() != null) ? reply.closed() : 0)
			.sum();
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
