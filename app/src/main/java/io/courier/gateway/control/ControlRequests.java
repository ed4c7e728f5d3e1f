package io.courier.gateway.control;

import java.util.List;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.stereotype.Component;

import io.courier.contract.Control;
import io.courier.contract.Control.DisconnectRequest;
import io.courier.contract.Control.Reply;
import io.courier.contract.Control.SessionRequest;
import io.courier.contract.Control.SessionsRequest;
import io.courier.contract.SessionDetail;
import io.courier.contract.SessionDetail.Heartbeat;
import io.courier.contract.SessionDetail.Subscription;
import io.courier.gateway.cluster.ClusterMessageHandler;
import io.courier.gateway.cluster.ClusterPublisher;
import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.LocalSession;
import io.courier.gateway.session.LocalSessions;
import io.courier.gateway.session.SessionTerminator;

/**
 * Answers the console's requests ({@link Control}), which reach every node on
 * {@code courier.cluster} as {@code control.<command>} with {@code reply_to} and
 * {@code correlation_id}. Each reply goes to the default exchange, routing key
 * {@code reply_to}, same correlation id, and names this node:
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

	static final String PREFIX = Control.PREFIX;

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
		Reply reply = switch (command) {
			case Control.SESSIONS -> Reply.ofSessions(this.nodeId, sessions(read(request, SessionsRequest.class)));
			case Control.SESSION -> session(read(request, SessionRequest.class));
			case Control.DISCONNECT -> Reply.ofClosed(this.nodeId, disconnect(read(request, DisconnectRequest.class)));
			default -> Reply.ofError(this.nodeId, "unknown command " + command);
		};
		if (reply != null) {
			this.cluster.reply(replyTo, properties.getCorrelationId(), reply);
		}
	}

	private List<SessionDetail> sessions(SessionsRequest filters) {
		String user = present(filters.user());
		String node = present(filters.nodeId());
		String transport = present(filters.transport());
		String remoteAddress = present(filters.remoteAddress());
		if (node != null && !node.equals(this.nodeId)) {
			return List.of();
		}
		Predicate<LocalSession> matching = (session) -> (user == null || user.equals(session.user()))
				&& (transport == null || transport.equals(session.transport()))
				&& (remoteAddress == null || session.remoteAddress().startsWith(remoteAddress));
		return this.sessions.sessions().stream().filter(matching).map(this::detail).toList();
	}

	private @Nullable Reply session(SessionRequest request) {
		String sessionId = present(request.sessionId());
		LocalSession session = (sessionId != null) ? this.sessions.get(sessionId) : null;
		if (session == null || session.connectedAt() == null) {
			return null;
		}
		return Reply.ofSession(this.nodeId, detail(session));
	}

	/**
	 * Closes the sessions named by {@code sessionId} or {@code user}; neither closes
	 * nothing.
	 */
	private int disconnect(DisconnectRequest request) {
		String sessionId = present(request.sessionId());
		String user = present(request.user());
		String by = present(request.by());
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

	private SessionDetail detail(LocalSession session) {
		long[] heartbeat = session.heartbeat();
		List<Subscription> subscriptions = session.subscriptions()
			.entrySet()
			.stream()
			.map((s) -> new Subscription(s.getKey(), s.getValue()))
			.toList();
		return new SessionDetail(session.sessionId(), this.nodeId, session.user(), session.connectedAt(),
				session.remoteAddress(), session.userAgent(), session.transport(), subscriptions, session.framesIn(),
				session.framesOut(), new Heartbeat(heartbeat[0], heartbeat[1]), session.lastActivity());
	}

	/** The request's fields; a body that is not a JSON object gives none. */
	private <T> T read(JsonNode request, Class<T> type) {
		return this.mapper.treeToValue(request.isObject() ? request : this.mapper.createObjectNode(), type);
	}

	/** An empty value is no value. */
	private static @Nullable String present(@Nullable String value) {
		return (value != null && !value.isEmpty()) ? value : null;
	}

}
