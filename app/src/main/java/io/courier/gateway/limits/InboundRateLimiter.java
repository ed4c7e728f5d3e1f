package io.courier.gateway.limits;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.RejectingChannelInterceptor;
import io.courier.gateway.session.SessionTerminator;

/**
 * Limits SEND and SUBSCRIBE frames per session with a {@link TokenBucket} (the user's
 * frame rate and burst in {@link RuntimeLimits}, {@code courier.limits.frame-rate} and
 * {@code frame-burst} until changed). The frame over the limit is dropped and the session
 * ends with ERROR {@code rate limit exceeded}; every frame accepted before it was
 * forwarded as usual. A change of limits is applied to the buckets of existing sessions
 * too.
 */
@Component
class InboundRateLimiter extends RejectingChannelInterceptor {

	private final RuntimeLimits limits;

	private final Map<String, SessionBucket> buckets = new ConcurrentHashMap<>();

	private final LimitHits hits;

	InboundRateLimiter(SessionTerminator terminator, RuntimeLimits limits, LimitHits hits) {
		super(terminator);
		this.limits = limits;
		this.hits = hits;
		limits.onChange(() -> this.buckets.values().forEach(SessionBucket::reconfigure));
	}

	/**
	 * The bucket is made at CONNECT and dropped at disconnect; a frame the client sent
	 * just before it closed, still queued at its disconnect, finds no bucket and is let
	 * through, instead of re-creating a bucket nobody would remove. Frames queued behind
	 * a refused one never get here: the session was ended, and
	 * {@link RejectingChannelInterceptor} drops them.
	 */
	@Override
	protected void inspect(StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		String sessionId = accessor.getSessionId();
		if (sessionId == null) {
			return;
		}
		long now = System.nanoTime();
		if (StompCommand.CONNECT.equals(command) || StompCommand.STOMP.equals(command)) {
			Principal user = accessor.getUser();
			this.buckets.put(sessionId, new SessionBucket((user != null) ? user.getName() : "", now));
			return;
		}
		SessionBucket bucket = this.buckets.get(sessionId);
		if (bucket == null || !(StompCommand.SEND.equals(command) || StompCommand.SUBSCRIBE.equals(command))) {
			return;
		}
		if (!bucket.bucket.tryTake(now)) {
			throw new ClientRejection(ClientError.RATE_LIMITED,
					bucket.bucket.rate() + " frames/s, burst " + bucket.bucket.capacity());
		}
	}

	@Override
	protected void rejected(StompHeaderAccessor accessor, ClientRejection rejection) {
		this.hits.record(LimitHits.FRAME_RATE, accessor, rejection.getMessage());
	}

	int trackedSessions() {
		return this.buckets.size();
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		this.buckets.remove(event.getSessionId());
	}

	/** A session's bucket, with the user whose limits it follows. */
	private final class SessionBucket {

		private final String user;

		private final TokenBucket bucket;

		SessionBucket(String user, long now) {
			this.user = user;
			this.bucket = new TokenBucket(InboundRateLimiter.this.limits.frameRate(user),
					InboundRateLimiter.this.limits.frameBurst(user), now);
		}

		void reconfigure() {
			this.bucket.reconfigure(InboundRateLimiter.this.limits.frameRate(this.user),
					InboundRateLimiter.this.limits.frameBurst(this.user));
		}

	}

}
