package io.courier.gateway.stomp;

import java.net.InetSocketAddress;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import io.courier.gateway.session.InternalSessions;
import io.courier.gateway.session.SessionAttributes;

/**
 * Keeps what the handshake knows about a client in the session's attributes (remote
 * address as {@code ip:port}, User-Agent, transport), where presence and the console read
 * it; marks the node's own internal sessions ({@link InternalSessions}: the warm-up's,
 * while it runs).
 */
class HandshakeInfoInterceptor implements HandshakeInterceptor {

	private final InternalSessions internal;

	HandshakeInfoInterceptor(InternalSessions internal) {
		this.internal = internal;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		InetSocketAddress remote = request.getRemoteAddress();
		attributes.put(SessionAttributes.REMOTE_ADDRESS, (remote != null && remote.getAddress() != null)
				? remote.getAddress().getHostAddress() + ":" + remote.getPort() : String.valueOf(remote));
		String userAgent = request.getHeaders().getFirst(HttpHeaders.USER_AGENT);
		attributes.put(SessionAttributes.USER_AGENT, (userAgent != null) ? userAgent : "");
		attributes.put(SessionAttributes.TRANSPORT,
				request.getURI().getPath().contains("/sockjs") ? "sockjs" : "websocket");
		if (this.internal.admits(request.getHeaders().getFirst(InternalSessions.HEADER),
				(remote != null) ? remote.getAddress() : null)) {
			attributes.put(SessionAttributes.INTERNAL, Boolean.TRUE);
		}
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
