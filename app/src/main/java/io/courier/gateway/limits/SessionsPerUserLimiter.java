package io.courier.gateway.limits;

import java.security.Principal;

import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;

import io.courier.gateway.presence.Presence;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.stomp.RejectingChannelInterceptor;
import io.courier.gateway.stomp.SessionTerminator;
import io.courier.gateway.session.ClientRejection;

/**
 * Refuses a CONNECT when its user already holds as many sessions anywhere in the cluster as {@link RuntimeLimits}
 * allows them ({@code courier.limits.sessions-per-user} until changed), counted from the presence view. The view is
 * as fresh as the cluster announcements, so two CONNECTs on two nodes at the same instant can both pass: the limit
 * is enforced to within that race. SSE streams and poll clients are sessions too (presence counts them) and are
 * admitted through {@link #check}.
 */
@Component
public class SessionsPerUserLimiter extends RejectingChannelInterceptor {

	private final Presence presence;

	private final RuntimeLimits limits;

	private final LimitHits hits;

	/** Presence is lazy: it needs the messaging template, which needs the broker configurers, this one among them. */
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
		if (user == null || !(StompCommand.CONNECT.equals(command) || StompCommand.STOMP.equals(command))) {
			return;
		}
		check(user.getName());
	}

	/** Refuses one more session of {@code user} when they hold the limit already. */
	public void check(String user) {
		int limit = this.limits.sessionsPerUser(user);
		if (this.presence.sessionCount(user) >= limit) {
			throw new ClientRejection(ClientError.TOO_MANY_SESSIONS, "limit " + limit + " per user");
		}
	}

	@Override
	protected void rejected(StompHeaderAccessor accessor, ClientRejection rejection) {
		this.hits.record(LimitHits.SESSIONS_PER_USER, accessor, rejection.getMessage());
	}

}
