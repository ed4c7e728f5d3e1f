package io.courier.gateway.limits;

import java.security.Principal;

import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;

import io.courier.gateway.presence.Presence;
import io.courier.gateway.stomp.ClientError;
import io.courier.gateway.stomp.RejectingChannelInterceptor;
import io.courier.gateway.stomp.SessionTerminator;
import io.courier.gateway.stomp.StompRejection;

/**
 * Refuses a CONNECT when its user already holds {@code courier.limits.sessions-per-user} sessions anywhere in the
 * cluster, counted from the presence view. The view is as fresh as the cluster announcements, so two CONNECTs on
 * two nodes at the same instant can both pass: the limit is enforced to within that race.
 */
@Component
class SessionsPerUserLimiter extends RejectingChannelInterceptor {

	private final Presence presence;

	private final int limit;

	private final LimitHits hits;

	/** Presence is lazy: it needs the messaging template, which needs the broker configurers, this one among them. */
	SessionsPerUserLimiter(SessionTerminator terminator, @Lazy Presence presence, LimitsProperties limits,
			LimitHits hits) {
		super(terminator);
		this.presence = presence;
		this.limit = limits.sessionsPerUser();
		this.hits = hits;
	}

	@Override
	protected void inspect(StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		Principal user = accessor.getUser();
		if (user == null || !(StompCommand.CONNECT.equals(command) || StompCommand.STOMP.equals(command))) {
			return;
		}
		if (this.presence.sessionCount(user.getName()) >= this.limit) {
			throw new StompRejection(ClientError.TOO_MANY_SESSIONS, "limit " + this.limit + " per user");
		}
	}

	@Override
	protected void rejected(StompHeaderAccessor accessor, StompRejection rejection) {
		this.hits.record(LimitHits.SESSIONS_PER_USER, accessor, rejection.getMessage());
	}

}
