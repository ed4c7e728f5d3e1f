package io.courier.gateway.stomp;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses a handshake whose Origin header is present but empty or {@code null} (sandboxed frames, file: pages)
 * with HTTP 403. Spring's origin check, which runs next, handles every other value against
 * {@code courier.allowed-origins}; a request with no Origin header at all is not from a browser page and is
 * left to the JWT check on CONNECT.
 */
class OriginHeaderInterceptor implements HandshakeInterceptor {

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		List<String> origins = request.getHeaders().get(HttpHeaders.ORIGIN);
		if (origins == null) {
			return true;
		}
		boolean usable = origins.size() == 1 && !origins.get(0).isBlank() && !"null".equals(origins.get(0).trim());
		if (!usable) {
			response.setStatusCode(HttpStatus.FORBIDDEN);
		}
		return usable;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
