package io.courier.gateway.stomp;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.adapter.standard.StandardWebSocketHandlerAdapter;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.adapter.standard.WebSocketToStandardExtensionAdapter;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.standard.ServerEndpointRegistration;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

/**
 * Spring's {@link StandardWebSocketUpgradeStrategy} with the container's default
 * configurator looked up once.
 *
 * <p>
 * Spring builds a new {@link ServerEndpointRegistration} for every handshake. It is its
 * own {@link ServerEndpointConfig.Configurator}, and the Jakarta WebSocket API caches the
 * container's default configurator per instance, so every handshake ran a
 * {@code ServiceLoader} scan of the class path. In a Boot fat jar that scan opens nested
 * jars under global locks: a JFR profile of 50 concurrent handshakes showed handshake
 * threads queued on {@code UrlJarFiles$Cache} for most of a storm. Here the registration
 * returns the default configurator found once, when the first handshake needs it. The
 * rest is Spring's {@code upgrade} (spring-websocket 7.0) unchanged.
 */
final class JakartaUpgradeStrategy extends StandardWebSocketUpgradeStrategy {

	private volatile ServerEndpointConfig.@Nullable Configurator containerDefault;

	@Override
	public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
			List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
			Map<String, Object> attrs) throws HandshakeFailureException {
		// The server may recycle the request's headers once the handshake is done.
		HttpHeaders headers = HttpHeaders.copyOf(request.getHeaders());
		StandardWebSocketSession session = new StandardWebSocketSession(headers, attrs, address(request, true),
				address(request, false), user);
		StandardWebSocketHandlerAdapter endpoint = new StandardWebSocketHandlerAdapter(wsHandler, session);
		List<Extension> extensions = new ArrayList<>();
		for (WebSocketExtension extension : selectedExtensions) {
			extensions.add(new WebSocketToStandardExtensionAdapter(extension));
		}
		HttpServletRequest servletRequest = getHttpServletRequest(request);
		HttpServletResponse servletResponse = getHttpServletResponse(response);
		ServerEndpointRegistration config = registration(servletRequest.getRequestURI(), endpoint);
		config.setSubprotocols(Collections.singletonList(selectedProtocol));
		config.setExtensions(extensions);
		try {
			getContainer(servletRequest).upgradeHttpToWebSocket(servletRequest, servletResponse, config,
					Collections.emptyMap());
		}
		catch (Exception ex) {
			throw new HandshakeFailureException(
					"Servlet request failed to upgrade to WebSocket: " + servletRequest.getRequestURL(), ex);
		}
	}

	private static @Nullable InetSocketAddress address(ServerHttpRequest request, boolean local) {
		try {
			return local ? request.getLocalAddress() : request.getRemoteAddress();
		}
		catch (Exception ex) {
			return null; // as Spring: an address the server cannot tell is left out
		}
	}

	ServerEndpointRegistration registration(String path, StandardWebSocketHandlerAdapter endpoint) {
		return new Registration(path, endpoint);
	}

	ServerEndpointConfig.Configurator containerDefault() {
		ServerEndpointConfig.Configurator found = this.containerDefault;
		if (found == null) {
			found = new ServerEndpointConfig.Configurator().getContainerDefaultConfigurator();
			this.containerDefault = found;
		}
		return found;
	}

	private final class Registration extends ServerEndpointRegistration {

		Registration(String path, StandardWebSocketHandlerAdapter endpoint) {
			super(path, endpoint);
		}

		@Override
		public ServerEndpointConfig.Configurator getContainerDefaultConfigurator() {
			return containerDefault();
		}

	}

}
