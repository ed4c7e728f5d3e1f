package io.courier.gateway.security;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Explains a start without any token issuer configured: Courier authenticates every
 * session with a JWT and will not start without knowing which tokens to trust.
 */
class MissingJwtDecoderFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
		if (cause.getBeanType() == null || !JwtDecoder.class.isAssignableFrom(cause.getBeanType())) {
			return null;
		}
		return new FailureAnalysis("Courier validates a JWT on every STOMP CONNECT, but no token issuer is configured.",
				"Set spring.security.oauth2.resourceserver.jwt.jwk-set-uri (and issuer-uri) to your identity "
						+ "provider, or public-key-location to its public key. To try Courier locally, start it with "
						+ "--spring.profiles.active=dev (or ./courier run), which issues demo tokens itself.",
				cause);
	}

}
