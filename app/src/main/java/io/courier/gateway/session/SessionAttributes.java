package io.courier.gateway.session;

import java.util.Map;

import jakarta.servlet.ServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;

/**
 * Names of the session attributes set at the handshake, and how to read them from a STOMP
 * message.
 */
public final class SessionAttributes {

	/** The client's address as {@link #remoteAddress} gives it. */
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
	 * What Courier calls a client's remote address, on every transport (STOMP over
	 * WebSocket and SockJS, SSE, polls), in presence, the console, limit hits and logs:
	 * the IP the servlet container reports, without a port (the client's own, from
	 * {@code X-Forwarded-For}, where {@code server.forward-headers-strategy} trusts a
	 * proxy). A port would tell sessions from one host apart, which their session ids do
	 * already.
	 */
	public static String remoteAddress(ServletRequest request) {
		return request.getRemoteAddr();
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
