package io.courier.gateway.stomp;

import java.net.InetSocketAddress;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import io.courier.gateway.session.InternalSessions;
import io.courier.gateway.session.SessionAttributes;

/**
 * Keeps what the handshake knows about a client in the session's attributes (remote
 * address as {@link SessionAttributes#remoteAddress} gives it, User-Agent, transport),
 * where presence, limit hits and the console read it; marks the node's own internal
 * sessions ({@link InternalSessions}: the warm-up's, while it runs).
 */
class HandshakeInfoInterceptor implements HandshakeInterceptor {

	private final InternalSessions internal;

	HandshakeInfoInterceptor(InternalSessions internal) {
		this.internal = internal;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		attributes.put(SessionAttributes.REMOTE_ADDRESS, remoteAddress(request));
		String userAgent = request.getHeaders().getFirst(HttpHeaders.USER_AGENT);
		attributes.put(SessionAttributes.USER_AGENT, (userAgent != null) ? userAgent : "");
		attributes.put(SessionAttributes.TRANSPORT,
				request.getURI().getPath().contains("/sockjs") ? "sockjs" : "websocket");
		InetSocketAddress remote = request.getRemoteAddress();
		if (this.internal.admits(request.getHeaders().getFirst(InternalSessions.HEADER),
				(remote != null) ? remote.getAddress() : null)) {
			attributes.put(SessionAttributes.INTERNAL, Boolean.TRUE);
		}
		return true;
	}

	/**
	 * As on SSE and polls; a handshake that is not a servlet request (none is, on Jetty)
	 * gives the IP too.
	 */
	private static String remoteAddress(ServerHttpRequest request) {
		if (request instanceof ServletServerHttpRequest servlet) {
			return SessionAttributes.remoteAddress(servlet.getServletRequest());
		}
		InetSocketAddress remote = request.getRemoteAddress();
		return (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : "";
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
