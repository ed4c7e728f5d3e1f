package io.courier.gateway.control;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Component;

import io.courier.gateway.cluster.ClusterMessageHandler;
import io.courier.gateway.cluster.ClusterPublisher;
import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.LocalSession;
import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.session.SessionTerminator;

/**
 * Answers the console's requests, which reach every node on {@code courier.cluster} as
 * {@code control.<command>} with {@code reply_to} and {@code correlation_id}. Each reply
 * goes to the default exchange, routing key {@code reply_to}, same correlation id, and
 * names this node:
 * <ul>
 * <li>{@code control.sessions} (filters {@code user}, {@code nodeId}, {@code transport}:
 * exact; {@code remoteAddress}: prefix) → {@code {"nodeId", "sessions":
 * [SessionDetail...]}}, from every node;</li>
 * <li>{@code control.session} ({@code sessionId}) → {@code {"nodeId", "session":
 * SessionDetail}}, from the node holding it only;</li>
 * <li>{@code control.disconnect} ({@code sessionId} or {@code user}, and {@code by}) →
 * the matching sessions get ERROR {@code disconnected by operator} and are closed;
 * {@code {"nodeId", "closed": N}} from every node.</li>
 * </ul>
 * Any other command gets {@code {"nodeId", "error": "unknown command control.x"}}.
 */
@Component
class ControlRequests implements ClusterMessageHandler {

	static final String PREFIX = "control.";

	private static final Log logger = LogFactory.getLog(ControlRequests.class);

	private final String nodeId;

	private final LocalSessions sessions;

	private final SessionTerminator terminator;

	private final ClusterPublisher cluster;

	private final ObjectMapper mapper;

	ControlRequests(GatewayProperties gateway, LocalSessions sessions, SessionTerminator terminator,
			ClusterPublisher cluster, ObjectMapper mapper) {
		this.nodeId = gateway.nodeId();
		this.sessions = sessions;
		this.terminator = terminator;
		this.cluster = cluster;
		this.mapper = mapper;
	}

	@Override
	public boolean handles(String routingKey) {
		return routingKey.startsWith(PREFIX);
	}

	@Override
	public void handle(Message message) {
		MessageProperties properties = message.getMessageProperties();
		String command = String.valueOf(properties.getReceivedRoutingKey());
		String replyTo = properties.getReplyTo();
		if (replyTo == null || replyTo.isEmpty()) {
			logger.debug("Ignoring " + command + " without reply_to");
			return;
		}
		JsonNode request = this.mapper.readTree(message.getBody());
		Object reply = switch (command) {
			case "control.sessions" -> Map.of("nodeId", this.nodeId, "sessions", sessions(request));
			case "control.session" -> session(text(request, "sessionId"));
			case "control.disconnect" -> Map.of("nodeId", this.nodeId, "closed", disconnect(request));
			default -> Map.of("nodeId", this.nodeId, "error", "unknown command " + command);
		};
		if (reply != null) {
			this.cluster.reply(replyTo, properties.getCorrelationId(), reply);
		}
	}

	private List<SessionDetail> sessions(JsonNode filters) {
		String user = text(filters, "user");
		String node = text(filters, "nodeId");
		String transport = text(filters, "transport");
		String remoteAddress = text(filters, "remoteAddress");
		if (node != null && !node.equals(this.nodeId)) {
			return List.of();
		}
		Predicate<LocalSession> matching = (session) -> (user == null || user.equals(session.user()))
				&& (transport == null || transport.equals(session.transport()))
				&& (remoteAddress == null || session.remoteAddress().startsWith(remoteAddress));
		return this.sessions.sessions()
			.stream()
			.filter(matching)
			.map((session) -> SessionDetail.of(session, this.nodeId))
			.toList();
	}

	private @Nullable Map<String, Object> session(@Nullable String sessionId) {
		LocalSession session = (sessionId != null) ? this.sessions.get(sessionId) : null;
		if (session == null || session.connectedAt() == null) {
			return null;
		}
		return Map.of("nodeId", this.nodeId, "session", SessionDetail.of(session, this.nodeId));
	}

	/**
	 * Closes the sessions named by {@code sessionId} or {@code user}; neither closes
	 * nothing.
	 */
	private int disconnect(JsonNode request) {
		String sessionId = text(request, "sessionId");
		String user = text(request, "user");
		String by = text(request, "by");
		if (sessionId == null && user == null) {
			return 0;
		}
		int closed = 0;
		for (LocalSession session : this.sessions.sessions()) {
			if ((sessionId == null || sessionId.equals(session.sessionId()))
					&& (user == null || user.equals(session.user())) && this.terminator.terminate(session.sessionId(),
							new ClientRejection(ClientError.DISCONNECTED_BY_OPERATOR), null)) {
				closed++;
			}
		}
		if (closed > 0) {
			logger.info("Operator " + by + " disconnected " + closed + " session(s) ("
					+ ((sessionId != null) ? "session " + sessionId : "user " + user) + ")");
		}
		return closed;
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString() && !value.asString().isEmpty()) ? value.asString() : null;
	}

}
