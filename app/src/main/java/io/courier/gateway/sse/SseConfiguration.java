package io.courier.gateway.sse;

import java.util.List;

import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import io.courier.gateway.history.HistoryHub;
import io.courier.gateway.history.HistoryProperties;
import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.presence.Presence;

/**
 * {@code /sse} (a servlet of its own, async) and the keep-alive comments of every SSE
 * stream of this node.
 */
@Configuration(proxyBeanMethods = false)
class SseConfiguration {

	private final SseProperties properties;

	SseConfiguration(SseProperties properties) {
		this.properties = properties;
	}

	@Bean
	ServletRegistrationBean<SseServlet> sseServlet(ClientAdmission admission, HistoryHub hub, SseThreads threads,
			Presence presence, ObjectMapper mapper, HistoryProperties history, GatewayProperties gateway) {
		ServletRegistrationBean<SseServlet> registration = new ServletRegistrationBean<>(new SseServlet(admission, hub,
				threads, presence, mapper, this.properties, history.clientBuffer(), gateway), SseServlet.PATH);
		registration.setAsyncSupported(true);
		registration.setName("courierSse");
		return registration;
	}

	@EventListener
	void onReady(ApplicationReadyEvent event) {
		HistoryHub hub = event.getApplicationContext().getBean(HistoryHub.class);
		SseThreads threads = event.getApplicationContext().getBean(SseThreads.class);
		threads.scheduler().scheduleAtFixedRate(() -> hub.subscribers().forEach((subscriber) -> {
			if (subscriber instanceof SseConnection connection) {
				connection.keepAlive();
			}
		}), this.properties.keepAlive());
	}

	/**
	 * A stopping node ends its streams with a {@code close} event and answers its held
	 * polls, so clients go to another node at once, and graceful shutdown does not wait
	 * for streams that would never end by themselves.
	 */
	@EventListener
	void onClose(ContextClosedEvent event) {
		HistoryHub hub = event.getApplicationContext().getBean(HistoryHub.class);
		hub.subscribers().forEach((subscriber) -> {
			if (subscriber instanceof SseConnection connection) {
				connection.finish("gateway node stopping; reconnect", false);
			}
			else if (subscriber instanceof PollRequest poll) {
				poll.timeout();
			}
		});
	}

	/**
	 * CORS for {@code /sse} and {@code /poll} only: the origins of
	 * {@code courier.allowed-origins}, as on {@code /ws}. Applied by the HTTP security
	 * chain; other paths get no CORS headers.
	 */
	@Bean
	CorsConfigurationSource sseCorsConfigurationSource(GatewayProperties gateway) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(gateway.allowedOrigins());
		cors.setAllowedMethods(List.of("GET"));
		cors.setAllowedHeaders(List.of("Authorization", "Last-Event-ID", "Cache-Control"));
		cors.setExposedHeaders(List.of(PollController.CURSOR_HEADER));
		cors.setMaxAge(3600L);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration(SseServlet.PATH, cors);
		source.registerCorsConfiguration(PollController.PATH, cors);
		return source;
	}

}
