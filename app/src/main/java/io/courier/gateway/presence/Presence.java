package io.courier.gateway.presence;

/**
 * The cluster-wide presence view, for other features (limits, SSE and polling, console).
 */
public interface Presence {

	/** Sessions of {@code user} on all nodes, as this node knows them now. */
	int sessionCount(String user);

	/** Sessions of {@code user} on the other nodes, as this node knows them now. */
	int sessionCountElsewhere(String user);

	/**
	 * A session that is not a STOMP session (an SSE stream, a long-polling client) joins
	 * on this node: announced on {@code courier.cluster} like a STOMP session, with its
	 * transport.
	 * @param sessionId unique on this node
	 * @param user the principal name ({@code sub})
	 * @param remoteAddress the client's address
	 * @param userAgent the request's User-Agent, or empty
	 * @param transport {@code sse} or {@code poll}
	 */
	void join(String sessionId, String user, String remoteAddress, String userAgent, String transport);

	/** The session left; nothing happens if it is not one of this node's. */
	void leave(String sessionId);

}
