package io.courier.gateway.session;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;

/**
 * Names of the session attributes set at the handshake, and how to read them from a STOMP
 * message.
 */
public final class SessionAttributes {

	public static final String REMOTE_ADDRESS = "courier.remote-address";

	public static final String USER_AGENT = "courier.user-agent";

	public static final String TRANSPORT = "courier.transport";

	/**
	 * {@code Boolean.TRUE} on a session the node opened to itself
	 * ({@link InternalSessions}).
	 */
	public static final String INTERNAL = "courier.internal";

	private SessionAttributes() {
	}

	/**
	 * The attribute, from the message or from the CONNECT it acknowledges; empty if
	 * unknown.
	 */
	public static String get(Message<?> message, String name) {
		return get(attributes(message), name);
	}

	/** The attribute from a session's attributes; empty if unknown. */
	public static String get(@Nullable Map<String, Object> attributes, String name) {
		Object value = (attributes != null) ? attributes.get(name) : null;
		return (value != null) ? value.toString() : "";
	}

	private static Map<String, Object> attributes(Message<?> message) {
		Map<String, Object> attributes = SimpMessageHeaderAccessor.getSessionAttributes(message.getHeaders());
		if (attributes == null && message.getHeaders()
			.get(SimpMessageHeaderAccessor.CONNECT_MESSAGE_HEADER) instanceof Message<?> connect) {
			attributes = SimpMessageHeaderAccessor.getSessionAttributes(connect.getHeaders());
		}
		return (attributes != null) ? attributes : Map.of();
	}

}
