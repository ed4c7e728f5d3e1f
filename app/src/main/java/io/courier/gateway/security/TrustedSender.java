package io.courier.gateway.security;

import java.time.Instant;

import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Headers the gateway stamps on every SEND a client makes, for receivers to trust: who
 * sent it (the token's {@code sub}), from which session, and when the gateway accepted
 * it. A client cannot set them itself: every {@code courier-*} header it sends is refused
 * ({@link ClientHeaderPolicy}), so what a subscriber reads in them is the gateway's word.
 * RabbitMQ passes them on as message headers, to STOMP subscribers and AMQP consumers
 * alike.
 */
public final class TrustedSender {

	/** The sender's {@code sub}. */
	public static final String SENDER = "courier-sender";

	/** The sender's session id on its node. */
	public static final String SESSION = "courier-sender-session";

	/** When the gateway accepted the SEND, ISO-8601 UTC. */
	public static final String AT = "courier-at";

	private TrustedSender() {
	}

	static void stamp(StompHeaderAccessor send, JwtAuthenticationToken user) {
		send.setNativeHeader(SENDER, user.getName());
		String session = send.getSessionId();
		if (session != null) {
			send.setNativeHeader(SESSION, session);
		}
		send.setNativeHeader(AT, Instant.now().toString());
	}

}
