package io.courier.gateway.warmup;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * An RS256 issuer that exists only in this process, for the warm-up: a 2048-bit RSA key
 * pair generated in memory (on the warm-up's thread, when first asked), tokens it signs,
 * and a {@link NimbusJwtDecoder} on its public key with the validators the node's own
 * decoder applies (timestamps, the configured issuer, Courier's
 * {@link OAuth2TokenValidator} beans). Decoding its tokens runs what a CONNECT's token
 * check runs (parsing, the RSA signature arithmetic, claim conversion, validation) except
 * the node's key lookup: the node's decoder may fetch a remote JWK set, and the warm-up
 * sends nothing to other hosts. Nothing outside this process trusts the key.
 */
@Component
class ThrowawayIssuer {

	static final String ISSUER_PROPERTY = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

	private final ObjectProvider<OAuth2TokenValidator<Jwt>> validators;

	private final @Nullable String issuer;

	private @Nullable KeyPair keys;

	private @Nullable JwtDecoder decoder;

	ThrowawayIssuer(ObjectProvider<OAuth2TokenValidator<Jwt>> validators, Environment environment) {
		this.validators = validators;
		String issuer = environment.getProperty(ISSUER_PROPERTY);
		this.issuer = (issuer == null || issuer.isBlank()) ? null : issuer;
	}

	/** A token for {@code subject}, valid for {@code ttl}. */
	String mint(String subject, Duration ttl) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(ttl)));
		if (this.issuer != null) {
			claims.issuer(this.issuer);
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("courier-warmup").build(),
				claims.build());
		try {
			jwt.sign(new RSASSASigner(keys().getPrivate()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("cannot sign a warm-up token", ex);
		}
		return jwt.serialize();
	}

	/** The decoder that accepts this issuer's tokens. */
	synchronized JwtDecoder decoder() {
		if (this.decoder == null) {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey((RSAPublicKey) keys().getPublic())
				.signatureAlgorithm(SignatureAlgorithm.RS256)
				.build();
			List<OAuth2TokenValidator<Jwt>> all = new ArrayList<>();
			all.add((this.issuer != null) ? JwtValidators.createDefaultWithIssuer(this.issuer)
					: JwtValidators.createDefault());
			this.validators.orderedStream().forEach(all::add);
			decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(all));
			this.decoder = decoder;
		}
		return this.decoder;
	}

	private synchronized KeyPair keys() {
		if (this.keys == null) {
			try {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(2048);
				this.keys = generator.generateKeyPair();
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("no RSA in this JVM", ex);
			}
		}
		return this.keys;
	}

}
