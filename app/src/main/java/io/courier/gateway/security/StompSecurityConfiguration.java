package io.courier.gateway.security;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import io.courier.gateway.session.SessionTerminator;

/**
 * Puts authentication (CONNECT) and then destination authorization (SUBSCRIBE, SEND) on
 * the client inbound channel. Spring Security's {@code @EnableWebSocketSecurity} is not
 * used: it demands a CSRF token on CONNECT with no switch for token auth (spring-security
 * #12378, #13640). The order follows Spring's documented {@code HIGHEST_PRECEDENCE + 99}
 * for authenticating interceptors.
 */
@Configuration(proxyBeanMethods = false)
@Order(Ordered.HIGHEST_PRECEDENCE + 99)
class StompSecurityConfiguration implements WebSocketMessageBrokerConfigurer {

	private final SessionTerminator terminator;

	private final TokenVerifier verifier;

	private final SessionExpiry expiry;

	private final DestinationAuthorizer authorizer;

	StompSecurityConfiguration(SessionTerminator terminator, TokenVerifier verifier, SessionExpiry expiry,
			DestinationAuthorizer authorizer) {
		this.terminator = terminator;
		this.verifier = verifier;
		this.expiry = expiry;
		this.authorizer = authorizer;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new StompAuthenticationInterceptor(this.terminator, this.verifier, this.expiry),
				new DestinationAuthorizationInterceptor(this.terminator, this.authorizer));
	}

}
