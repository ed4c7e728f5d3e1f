package io.courier.gateway.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * What Courier asks of a token beyond Spring's defaults (signature, issuer,
 * {@code exp}/{@code nbf} if present): an {@code exp}. A token without one would keep its
 * session open for ever, since a session ends when its token expires. Spring Boot adds
 * this validator to the resource server's decoder, so the rule holds for STOMP CONNECT,
 * subscription tokens, SSE, long polling and the HTTP API alike.
 */
@Configuration(proxyBeanMethods = false)
class TokenPolicy {

	/**
	 * The validation error's description; {@link TokenVerifier} reports it as
	 * {@code invalid token: no expiry}.
	 */
	static final String NO_EXPIRY = "the token has no exp claim";

	@Bean
	OAuth2TokenValidator<Jwt> courierRequiresExpiry() {
		OAuth2Error error = new OAuth2Error("invalid_token", NO_EXPIRY, null);
		return (jwt) -> (jwt.getExpiresAt() != null) ? OAuth2TokenValidatorResult.success()
				: OAuth2TokenValidatorResult.failure(error);
	}

}
