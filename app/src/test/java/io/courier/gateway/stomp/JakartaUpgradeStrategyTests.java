package io.courier.gateway.stomp;

import java.util.Map;

import jakarta.websocket.server.ServerEndpointConfig;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.adapter.standard.StandardWebSocketHandlerAdapter;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServerEndpointRegistration;

import static org.assertj.core.api.Assertions.assertThat;

class JakartaUpgradeStrategyTests {

	@Test
	void everyHandshakeSharesTheContainersDefaultConfiguratorFoundOnce() {
		JakartaUpgradeStrategy strategy = new JakartaUpgradeStrategy();
		ServerEndpointConfig.Configurator first = strategy.registration("/ws", endpoint())
			.getContainerDefaultConfigurator();
		ServerEndpointConfig.Configurator second = strategy.registration("/ws", endpoint())
			.getContainerDefaultConfigurator();
		assertThat(second).isSameAs(first);
		// Jetty's, found by the ServiceLoader lookup the Jakarta API would otherwise run
		// per registration
		assertThat(first.getClass().getName()).startsWith("org.eclipse.jetty.");
		// what Spring's own registration does: a lookup, and a new instance, each time
		assertThat(new ServerEndpointRegistration("/ws", endpoint()).getContainerDefaultConfigurator())
			.isNotSameAs(first);
	}

	private static StandardWebSocketHandlerAdapter endpoint() {
		return new StandardWebSocketHandlerAdapter(new TextWebSocketHandler(),
				new StandardWebSocketSession(new HttpHeaders(), Map.of(), null, null));
	}

}
