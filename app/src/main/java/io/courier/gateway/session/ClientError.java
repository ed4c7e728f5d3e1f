package io.courier.gateway.session;

/**
 * Every reason a client can read in the {@code message} header of a STOMP ERROR frame. The texts are part of the
 * client contract: README lists them and tests assert them. Where a detail follows, it comes after a colon, e.g.
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
	/** The JWT was refused for another claim ({@code nbf}, audience, ...). */
	INVALID_TOKEN("invalid token"),
	/** The session's token expired while it was connected; the session is closed. */
	SESSION_EXPIRED("token expired while connected"),
	/** SUBSCRIBE or SEND to a destination the rules do not grant. */
	FORBIDDEN_DESTINATION("forbidden destination"),
	/** CONNECT of a user who already holds {@code courier.limits.sessions-per-user} sessions in the cluster. */
	TOO_MANY_SESSIONS("too many sessions"),
	/** More SEND/SUBSCRIBE frames than {@code courier.limits.frame-rate} and {@code frame-burst} allow. */
	RATE_LIMITED("rate limit exceeded"),
	/** The frame exceeds the frame size limit ({@code courier.limits.frame-size}). */
	FRAME_TOO_LARGE("frame too large"),
	/** The frame could not be parsed. */
	MALFORMED_FRAME("malformed frame"),
	/** An operator closed the session from the admin console ({@code control.disconnect}). */
	DISCONNECTED_BY_OPERATOR("disconnected by operator"),
	/** The broker connection of this session failed or closed; reconnect. */
	BROKER_UNAVAILABLE("broker unavailable"),
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

}
