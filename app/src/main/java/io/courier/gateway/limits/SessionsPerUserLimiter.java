package io.courier.gateway.limits;

import java.security.Principal;

import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import io.courier.gateway.presence.Presence;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.RejectingChannelInterceptor;
import io.courier.gateway.session.SessionTerminator;

/**
 * Refuses a CONNECT (or an SSE stream, a poll client going online) when its user already
 * holds as many sessions as {@link RuntimeLimits} allows them
 * ({@code courier.limits.sessions-per-user} until changed). On this node the count is
 * exact under any concurrency: each admission takes a slot atomically
 * ({@link SessionSlots}) and gives it back when the session ends. Sessions on other nodes
 * are counted from the presence view, which is as fresh as the cluster's announcements:
 * two CONNECTs on two nodes within that delay can both pass, so across nodes the limit
 * holds to within one announcement delay.
 */
@Component
public class SessionsPerUserLimiter extends RejectingChannelInterceptor {

	private final Presence presence;

	private final RuntimeLimits limits;

	private final LimitHits hits;

	private final SessionSlots slots = new SessionSlots();

	/**
	 * Presence is lazy: it needs the messaging template, which needs the broker
	 * configurers, this one among them.
	 */
	SessionsPerUserLimiter(SessionTerminator terminator, @Lazy Presence presence, RuntimeLimits limits,
			LimitHits hits) {
		super(terminator);
		this.presence = presence;
		this.limits = limits;
		this.hits = hits;
	}

	@Override
	protected void inspect(StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		Principal user = accessor.getUser();
		String sessionId = accessor.getSessionId();
		if (user == null || sessionId == null
				|| !(StompCommand.CONNECT.equals(command) || StompCommand.STOMP.equals(command))) {
			return;
		}
		reserve(user.getName(), sessionId);
	}

	/**
	 * Takes a slot for one more session of {@code user}, or refuses it when they hold the
	 * limit already.
	 */
	public void reserve(String user, String sessionId) {
		int limit = this.limits.sessionsPerUser(user);
		if (!this.slots.reserve(user, sessionId, limit, this.presence.sessionCountElsewhere(user))) {
			throw new ClientRejection(ClientError.TOO_MANY_SESSIONS, "limit " + limit + " per user");
		}
	}

	/** The session ended (or was refused after its slot was taken): its slot is free. */
	public void release(String sessionId) {
		this.slots.release(sessionId);
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		release(event.getSessionId());
	}

	@Override
	protected void rejected(StompHeaderAccessor accessor, ClientRejection rejection) {
		this.hits.record(LimitHits.SESSIONS_PER_USER, accessor, rejection.getMessage());
	}

}
