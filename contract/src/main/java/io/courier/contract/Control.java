package io.courier.contract;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The console's requests to every node, {@code control.<command>} on
 * {@code courier.cluster} with {@code reply_to} and {@code correlation_id}, and the
 * nodes' replies, sent to the default exchange with routing key {@code reply_to} and the
 * same correlation id. Every reply names its node; the field the command answers with is
 * set, the others are absent.
 */
public final class Control {

	/** Every request's routing key starts with this; the nodes bind {@code control.#}. */
	public static final String PREFIX = "control.";

	/**
	 * {@link SessionsRequest} → from every node a {@link Reply} with {@code sessions}.
	 */
	public static final String SESSIONS = PREFIX + "sessions";

	/**
	 * {@link SessionRequest} → from the node holding it only, a {@link Reply} with
	 * {@code session}.
	 */
	public static final String SESSION = PREFIX + "session";

	/**
	 * {@link DisconnectRequest} → from every node a {@link Reply} with {@code closed}.
	 */
	public static final String DISCONNECT = PREFIX + "disconnect";

	private Control() {
	}

	/**
	 * The sessions matching every filter given; absent or {@code null} (as the console
	 * sends them) or empty is no filter.
	 *
	 * @param user exactly this user
	 * @param nodeId on this node only (the others answer with none)
	 * @param transport exactly this transport
	 * @param remoteAddress a remote address starting with this
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record SessionsRequest(@Nullable String user, @Nullable String nodeId, @Nullable String transport,
			@Nullable String remoteAddress) {
	}

	/**
	 * One session's detail.
	 *
	 * @param sessionId the session
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record SessionRequest(@Nullable String sessionId) {
	}

	/**
	 * Closes the session {@code sessionId}, or every session of {@code user}, with ERROR
	 * {@code disconnected by operator}; neither closes nothing.
	 *
	 * @param sessionId one session
	 * @param user every session of this user
	 * @param by the operator, for the nodes' logs
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record DisconnectRequest(@Nullable String sessionId, @Nullable String user, @Nullable String by) {
	}

	/**
	 * A node's answer to any request.
	 *
	 * @param nodeId the node that answers
	 * @param sessions its sessions matching a {@code control.sessions} request
	 * @param session the session of a {@code control.session} request
	 * @param closed how many sessions a {@code control.disconnect} closed on this node
	 * @param error what was wrong with the request, e.g.
	 * {@code unknown command control.x}
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Reply(String nodeId, @Nullable List<SessionDetail> sessions, @Nullable SessionDetail session,
			@Nullable Integer closed, @Nullable String error) {

		public static Reply ofSessions(String nodeId, List<SessionDetail> sessions) {
			return new Reply(nodeId, sessions, null, null, null);
		}

		public static Reply ofSession(String nodeId, SessionDetail session) {
			return new Reply(nodeId, null, session, null, null);
		}

		public static Reply ofClosed(String nodeId, int closed) {
			return new Reply(nodeId, null, null, closed, null);
		}

		public static Reply ofError(String nodeId, String error) {
			return new Reply(nodeId, null, null, null, error);
		}

	}

}
