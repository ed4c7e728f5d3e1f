package io.courier.gateway.stomp;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Refuses with HTTP 403 a handshake whose Origin header is present but not one plain
 * ASCII {@code scheme://host[:port]}: empty, {@code null} (sandboxed frames, file:
 * pages), repeated, or with bytes outside ASCII such as a homoglyph host (which Spring's
 * own check would otherwise fail on with a 500). Spring's origin check, which runs next,
 * matches every remaining value against {@code courier.allowed-origins}. A request with
 * no Origin header at all is not from a browser page and is left to the JWT check on
 * CONNECT.
 */
class OriginHeaderInterceptor implements HandshakeInterceptor {

	private static final Pattern WELL_FORMED = Pattern
		.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[A-Za-z0-9.\\[\\]:-]+(:[0-9]{1,5})?");

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		List<String> origins = request.getHeaders().get(HttpHeaders.ORIGIN);
		if (origins == null) {
			return true;
		}
		boolean usable = origins.size() == 1 && WELL_FORMED.matcher(origins.get(0).trim()).matches();
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
