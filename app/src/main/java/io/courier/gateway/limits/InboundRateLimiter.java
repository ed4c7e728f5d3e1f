package io.courier.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import io.courier.gateway.stomp.ClientError;
import io.courier.gateway.stomp.RejectingChannelInterceptor;
import io.courier.gateway.stomp.SessionTerminator;
import io.courier.gateway.stomp.StompRejection;

/**
 * Limits SEND and SUBSCRIBE frames per session with a {@link TokenBucket} ({@code courier.limits.frame-rate},
 * {@code frame-burst}). The frame over the limit is dropped and the session ends with ERROR
 * {@code rate limit exceeded}; every frame accepted before it was forwarded as usual.
 */
@Component
class InboundRateLimiter extends RejectingChannelInterceptor {

	private final LimitsProperties limits;

	private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

	private final LimitHits hits;

	InboundRateLimiter(SessionTerminator terminator, LimitsProperties limits, LimitHits hits) {
		super(terminator);
		this.limits = limits;
		this.hits = hits;
	}

	/**
	 * The bucket is made at CONNECT and dropped at disconnect; a frame still queued when its session is gone
	 * finds no bucket and is let through to nowhere, instead of re-creating a bucket nobody would remove.
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
			this.buckets.put(sessionId, new TokenBucket(this.limits.frameRate(), this.limits.frameBurst(), now));
			return;
		}
		TokenBucket bucket = this.buckets.get(sessionId);
		if (bucket == null || !(StompCommand.SEND.equals(command) || StompCommand.SUBSCRIBE.equals(command))) {
			return;
		}
		if (!bucket.tryTake(now)) {
			throw new StompRejection(ClientError.RATE_LIMITED, this.limits.frameRate() + " frames/s, burst "
					+ this.limits.frameBurst());
		}
	}

	@Override
	protected void rejected(StompHeaderAccessor accessor, StompRejection rejection) {
		this.hits.record(LimitHits.FRAME_RATE, accessor, rejection.getMessage());
	}

	int trackedSessions() {
		return this.buckets.size();
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		this.buckets.remove(event.getSessionId());
	}

}
