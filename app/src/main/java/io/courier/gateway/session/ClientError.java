package io.courier.gateway.session;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Every reason a client can read in the {@code message} header of a STOMP ERROR frame.
 * The texts are part of the client contract: docs/CLIENT-PROTOCOL.md lists them and tests
 * assert them. Where a detail follows, it comes after a colon, e.g.
 * {@code forbidden destination: /topic/orders.42 (not the order's owner)}.
 */
public enum ClientError {

	/** CONNECT without an {@code Authorization: Bearer <JWT>} header. */
	MISSING_TOKEN("missing token", true),
	/** The bearer token is not a JWT at all. */
	MALFORMED_TOKEN("malformed token", true),
	/** The JWT's signature does not verify against the configured keys. */
	BAD_SIGNATURE("invalid token signature", true),
	/** The JWT's {@code iss} is not the configured issuer. */
	WRONG_ISSUER("wrong token issuer", true),
	/** The JWT's {@code exp} has passed. */
	EXPIRED_TOKEN("token expired", true),
	/**
	 * The JWT was refused for another claim ({@code nbf}, audience, no {@code sub}, no
	 * {@code exp}, ...).
	 */
	INVALID_TOKEN("invalid token", true),
	/**
	 * CONNECT whose {@code accept-version} names no version this server speaks (1.0, 1.1,
	 * 1.2).
	 */
	UNSUPPORTED_VERSION("unsupported STOMP version", true),
	/** A frame other than CONNECT (or STOMP) before the session was connected. */
	NOT_CONNECTED("not connected", true),
	/** The session's token expired while it was connected; the session is closed. */
	SESSION_EXPIRED("token expired while connected", false),
	/**
	 * SUBSCRIBE or SEND to a destination the rules do not grant, that Courier does not
	 * serve, or that is reserved for the gateway or RabbitMQ.
	 */
	FORBIDDEN_DESTINATION("forbidden destination", true),
	/**
	 * A destination RabbitMQ would not accept: an empty name, a {@code '/'} in a name, a
	 * name over 255 bytes.
	 */
	INVALID_DESTINATION("invalid destination", true),
	/**
	 * A header RabbitMQ would act on ({@code x-queue-name}, {@code durable},
	 * {@code prefetch-count}, {@code persistent}, ...) where no rule allows it, a header
	 * a frame has no use for, or one the gateway keeps for itself ({@code courier-*}).
	 */
	FORBIDDEN_HEADER("forbidden header", true),
	/**
	 * A frame only a server sends (MESSAGE, RECEIPT, ERROR, CONNECTED) came from the
	 * client.
	 */
	FORBIDDEN_FRAME("forbidden frame", true),
	/**
	 * A frame the relay cannot carry out: SUBSCRIBE without id, an unknown ack mode, a
	 * transaction that is not open (or already is), an ACK/NACK for a message this
	 * session was not sent or has settled.
	 */
	INVALID_FRAME("invalid frame", true),
	/**
	 * CONNECT of a user who already holds {@code courier.limits.sessions-per-user}
	 * sessions in the cluster.
	 */
	TOO_MANY_SESSIONS("too many sessions", true),
	/**
	 * More SEND/SUBSCRIBE frames than {@code courier.limits.frame-rate} and
	 * {@code frame-burst} allow.
	 */
	RATE_LIMITED("rate limit exceeded", true),
	/** The frame exceeds the frame size limit ({@code courier.limits.frame-size}). */
	FRAME_TOO_LARGE("frame too large", true),
	/** The frame could not be parsed. */
	MALFORMED_FRAME("malformed frame", true),
	/** The client negotiated heart-beats and sent nothing for 1.5 times the interval. */
	HEARTBEAT_TIMEOUT("heart-beat timeout", false),
	/**
	 * An operator closed the session from the admin console ({@code control.disconnect}).
	 */
	DISCONNECTED_BY_OPERATOR("disconnected by operator", false),
	/**
	 * A subscription served from history ({@code courier-since}) missed more events than
	 * the client buffer ({@code courier.sse.client-buffer}) holds, or more arrived while
	 * it caught up; the session is closed.
	 */
	SLOW_CONSUMER("slow consumer", false),
	/**
	 * A SEND to {@code /app/...} that no backend queue is bound for: published, it would
	 * have been lost.
	 */
	NO_BACKEND("no backend", true),
	/** The broker connection of this session failed or closed; reconnect. */
	BROKER_UNAVAILABLE("broker unavailable", false),
	/**
	 * RabbitMQ refused a frame of this session (a queue the gateway may not use,
	 * arguments that differ from the queue's, a bad header value a rule let through); its
	 * own text follows. Other sessions are not affected.
	 */
	BROKER_REFUSED("broker refused", true),
	/** Anything else: the server logged it with the session id. */
	INTERNAL("internal error", true);

	private final String text;

	private final boolean refusesFrame;

	ClientError(String text, boolean refusesFrame) {
		this.text = text;
		this.refusesFrame = refusesFrame;
	}

	/**
	 * Whether an ERROR with this reason refuses the frame it answers: the frame, its
	 * token, its destination or headers, or a limit it went over. The others
	 * ({@code token expired while connected}, {@code heart-beat
	 * timeout}, {@code disconnected by operator}, {@code slow consumer},
	 * {@code broker unavailable}) end a session for something that is not the client's
	 * frame. Metrics count the first kind as rejected frames, both kinds as the reason a
	 * session ended.
	 */
	public boolean refusesFrame() {
		return this.refusesFrame;
	}

	/** The name as metrics and logs use it: lower case, e.g. {@code frame_too_large}. */
	public String reason() {
		return name().toLowerCase(Locale.ROOT);
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
