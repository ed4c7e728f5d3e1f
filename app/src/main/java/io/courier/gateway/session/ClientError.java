package io.courier.gateway.session;

import org.jspecify.annotations.Nullable;

/**
 * Every reason a client can read in the {@code message} header of a STOMP ERROR frame.
 * The texts are part of the client contract: docs/CLIENT-PROTOCOL.md lists them and tests
 * assert them. Where a detail follows, it comes after a colon, e.g.
 * {@code forbidden destination: /topic/orders.42 (not the order's owner)}.
 */
public enum ClientError {

	/** CONNECT without an {@code Authorization: Bearer <JWT>} header. */
	MISSING_TOKEN("missing token"),
	/** The bearer token is not a JWT at all. */
	MALFORMED_TOKEN("malformed token"),
	/** The JWT's signature does not verify against the configured keys. */
	BAD_SIGNATURE("invalid token signature"),
	/** The JWT's {@code iss} is not the configured issuer. */
	WRONG_ISSUER("wrong token issuer"),
	/** The JWT's {@code exp} has passed. */
	EXPIRED_TOKEN("token expired"),
	/**
	 * The JWT was refused for another claim ({@code nbf}, audience, no {@code sub}, no
	 * {@code exp}, ...).
	 */
	INVALID_TOKEN("invalid token"),
	/**
	 * CONNECT whose {@code accept-version} names no version this server speaks (1.0, 1.1,
	 * 1.2).
	 */
	UNSUPPORTED_VERSION("unsupported STOMP version"),
	/** A frame other than CONNECT (or STOMP) before the session was connected. */
	NOT_CONNECTED("not connected"),
	/** The session's token expired while it was connected; the session is closed. */
	SESSION_EXPIRED("token expired while connected"),
	/**
	 * SUBSCRIBE or SEND to a destination the rules do not grant, that Courier does not
	 * serve, or that is reserved for the gateway or RabbitMQ.
	 */
	FORBIDDEN_DESTINATION("forbidden destination"),
	/**
	 * A destination RabbitMQ would not accept: an empty name, a {@code '/'} in a name, a
	 * name over 255 bytes.
	 */
	INVALID_DESTINATION("invalid destination"),
	/**
	 * A header RabbitMQ would act on ({@code x-queue-name}, {@code durable},
	 * {@code prefetch-count}, {@code persistent}, ...) where no rule allows it, a header
	 * a frame has no use for, or one the gateway keeps for itself ({@code courier-*}).
	 */
	FORBIDDEN_HEADER("forbidden header"),
	/**
	 * A frame only a server sends (MESSAGE, RECEIPT, ERROR, CONNECTED) came from the
	 * client.
	 */
	FORBIDDEN_FRAME("forbidden frame"),
	/**
	 * A frame the relay cannot carry out: SUBSCRIBE without id, an unknown ack mode, a
	 * transaction that is not open (or already is), an ACK/NACK for a message this
	 * session was not sent or has settled.
	 */
	INVALID_FRAME("invalid frame"),
	/**
	 * CONNECT of a user who already holds {@code courier.limits.sessions-per-user}
	 * sessions in the cluster.
	 */
	TOO_MANY_SESSIONS("too many sessions"),
	/**
	 * More SEND/SUBSCRIBE frames than {@code courier.limits.frame-rate} and
	 * {@code frame-burst} allow.
	 */
	RATE_LIMITED("rate limit exceeded"),
	/** The frame exceeds the frame size limit ({@code courier.limits.frame-size}). */
	FRAME_TOO_LARGE("frame too large"),
	/** The frame could not be parsed. */
	MALFORMED_FRAME("malformed frame"),
	/** The client negotiated heart-beats and sent nothing for 1.5 times the interval. */
	HEARTBEAT_TIMEOUT("heart-beat timeout"),
	/**
	 * An operator closed the session from the admin console ({@code control.disconnect}).
	 */
	DISCONNECTED_BY_OPERATOR("disconnected by operator"),
	/**
	 * A subscription served from history ({@code courier-since}) missed more events than
	 * the client buffer ({@code courier.sse.client-buffer}) holds, or more arrived while
	 * it caught up; the session is closed.
	 */
	SLOW_CONSUMER("slow consumer"),
	/**
	 * A SEND to {@code /app/...} that no backend queue is bound for: published, it would
	 * have been lost.
	 */
	NO_BACKEND("no backend"),
	/** The broker connection of this session failed or closed; reconnect. */
	BROKER_UNAVAILABLE("broker unavailable"),
	/**
	 * RabbitMQ refused a frame of this session (a queue the gateway may not use,
	 * arguments that differ from the queue's, a bad header value a rule let through); its
	 * own text follows. Other sessions are not affected.
	 */
	BROKER_REFUSED("broker refused"),
	/** Anything else: the server logged it with the session id. */
	INTERNAL("internal error");

	private final String text;

	ClientError(String text) {
		this.text = text;
	}

	/** The exact text of the ERROR frame's {@code message} header, without detail. */
	public String text() {
		return this.text;
	}

	/** The text with a detail after a colon. */
	public String text(String detail) {
		return this.text + ": " + detail;
	}

	/**
	 * The reason {@code message} reads as ({@code text} or {@code text: detail}), or null
	 * if it is none of them.
	 */
	public static @Nullable ClientError of(String message) {
		for (ClientError error : values()) {
			if (message.equals(error.text) || message.startsWith(error.text + ": ")) {
				return error;
			}
		}
		return null;
	}

}
