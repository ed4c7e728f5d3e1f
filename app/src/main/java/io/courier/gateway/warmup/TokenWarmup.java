package io.courier.gateway.warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

/**
 * Warms JWT checking: {@code courier.warmup.tokens} RS256 verifications of
 * {@link ThrowawayIssuer} tokens, so that the RSA arithmetic ({@code BigInteger}'s
 * Montgomery multiplication, which otherwise stays interpreted for about a minute behind
 * a full compile queue) is compiled before the first CONNECT storm. When the node's own
 * decoder holds its key in process ({@code public-key-location}, no {@code jwk-set-uri})
 * it gets the tokens too and refuses them on their signature, after the same arithmetic
 * with the node's real key; a decoder with a remote JWK set is not asked, as a token with
 * an unknown key makes it fetch the set again.
 */
@Component
@Order(10)
class TokenWarmup implements WarmupStep {

	private static final int DISTINCT_TOKENS = 4;

	private final ThrowawayIssuer issuer;

	private final WarmupProperties properties;

	private final ObjectProvider<JwtDecoder> nodeDecoder;

	private final boolean nodeKeyInProcess;

	TokenWarmup(ThrowawayIssuer issuer, WarmupProperties properties, ObjectProvider<JwtDecoder> nodeDecoder,
			Environment environment) {
		this.issuer = issuer;
		this.properties = properties;
		this.nodeDecoder = nodeDecoder;
		String prefix = "spring.security.oauth2.resourceserver.jwt.";
		this.nodeKeyInProcess = !environment.containsProperty(prefix + "jwk-set-uri")
				&& environment.containsProperty(prefix + "public-key-location");
	}

	@Override
	public String name() {
		return "tokens";
	}

	@Override
	public Map<String, Object> run(Instant deadline) {
		String[] tokens = new String[DISTINCT_TOKENS];
		for (int i = 0; i < tokens.length; i++) {
			tokens[i] = this.issuer.mint("courier-warmup-" + i, Duration.ofMinutes(5));
		}
		JwtDecoder decoder = this.issuer.decoder();
		int verified = 0;
		while (verified < this.properties.tokens() && Instant.now().isBefore(deadline)) {
			decoder.decode(tokens[verified % tokens.length]);
			verified++;
		}
		Map<String, Object> counts = new LinkedHashMap<>();
		counts.put("verified", verified);
		JwtDecoder node = this.nodeKeyInProcess ? this.nodeDecoder.getIfAvailable() : null;
		if (node == null) {
			counts.put("nodeDecoder", "not asked (remote JWK set)");
			return counts;
		}
		int refused = 0;
		while (refused < this.properties.tokens() / 2 && Instant.now().isBefore(deadline)) {
			try {
				node.decode(tokens[refused % tokens.length]);
			}
			catch (JwtException ex) {
				// expected: not the node's key; the signature check ran
			}
			refused++;
		}
		counts.put("nodeDecoderRefused", refused);
		return counts;
	}

}
