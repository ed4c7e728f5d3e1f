package io.courier.gateway.security;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfigurationSource;

/**
 * HTTP security of the gateway. The WebSocket and SockJS handshakes are open at the HTTP
 * level: their Origin is checked by the endpoint and the JWT by the STOMP CONNECT. The
 * HTTP API, {@code /sse} and {@code /poll} take bearer tokens (resource server);
 * {@code /sse} also the {@code access_token} query parameter. CORS applies to
 * {@code /sse} and {@code /poll} only, with the WebSocket endpoints' allowed origins. No
 * cookie authenticates anything, so there is no session and no CSRF token to check. The
 * order-tracking page ({@code /}, static files) is public.
 */
@Configuration(proxyBeanMethods = false)
class HttpSecurityConfiguration {

	static final String PUBLISH_AUTHORITY = "SCOPE_orders:publish";

	/**
	 * The reference pages (order tracking, chat) and their static files (public: a page
	 * holds no data, the token is the user's).
	 */
	static final String[] ORDER_PAGE = { "/", "/index.html", "/order-tracking/**", "/chat/**", "/vendor/**" };

	/**
	 * Scripts and styles from the gateway only (the order page has no inline script);
	 * WebSocket to itself.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

	static final String SSE_PATH = "/sse";

	/**
	 * Actuator endpoints listen on the management port ({@code management.server.port},
	 * loopback by default), which is for operators and scrapers, not the public: no token
	 * there.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain managementSecurity(HttpSecurity http) throws Exception {
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	/**
	 * Takes {@code access_token} out of every request's query before anything logs it;
	 * accepted on {@code /sse} only (an {@code EventSource} cannot send headers), see
	 * {@link AccessTokenParameter}.
	 */
	@Bean
	FilterRegistrationBean<AccessTokenParameter> accessTokenParameterFilter() {
		FilterRegistrationBean<AccessTokenParameter> registration = new FilterRegistrationBean<>(
				new AccessTokenParameter(SSE_PATH));
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
		return registration;
	}

	/**
	 * The WebSocket and SockJS handshakes: nothing to authenticate at the HTTP level (the
	 * JWT comes with the STOMP CONNECT, the Origin is checked by the endpoint), so a
	 * chain with only what they need. The full chain cost a bearer-token filter, an
	 * anonymous principal, a request cache lookup, an authorization decision and an
	 * observation for each on every handshake (docs/BENCHMARKS.md, connect-storm).
	 * SockJS's iframe page still gets the same security headers as the rest.
	 */
	@Bean
	@Order(2)
	SecurityFilterChain handshakeSecurity(HttpSecurity http) throws Exception {
		// No authorization rules: every request that matches passes (and no authorization
		// observation is made).
		http.securityMatcher("/ws", "/ws/**", "/sockjs", "/sockjs/**")
			.sessionManagement((sessions) -> sessions.disable())
			.exceptionHandling((exceptions) -> exceptions.disable())
			.securityContext((context) -> context.disable())
			.requestCache((cache) -> cache.disable())
			.anonymous((anonymous) -> anonymous.disable())
			.servletApi((servletApi) -> servletApi.disable())
			.logout((logout) -> logout.disable())
			.csrf((csrf) -> csrf.disable())
			.headers((headers) -> headers.frameOptions((frames) -> frames.sameOrigin())
				.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain gatewaySecurity(HttpSecurity http,
			@Qualifier("sseCorsConfigurationSource") CorsConfigurationSource sseCors) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET, ORDER_PAGE)
			.permitAll()
			.requestMatchers(HttpMethod.POST, "/api/orders/*/events")
			.hasAuthority(PUBLISH_AUTHORITY)
			.requestMatchers("/dev/**", "/error")
			.permitAll()
			.anyRequest()
			.authenticated())
			.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults())
				.bearerTokenResolver(AccessTokenParameter.resolver()))
			.cors((cors) -> cors.configurationSource(sseCors))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.headers((headers) -> headers.frameOptions((frames) -> frames.sameOrigin())
				.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
		return http.build();
	}

}
