package io.courier.gateway.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;
import com.sun.net.httpserver.HttpServer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real identity provider for tests: an HTTP server on loopback that serves a JWKS, and
 * the matching private key to mint tokens. The gateway under test finds it through the
 * standard resource-server properties, exactly as it would find a production issuer. One
 * instance per test JVM.
 */
public final class TestIdentityProvider {

	private static final TestIdentityProvider INSTANCE = new TestIdentityProvider();

	private final RSAKey key;

	private final RSAKey foreignKey;

	private final HttpServer server;

	private TestIdentityProvider() {
		try {
			this.key = new RSAKeyGenerator(2048).keyID("test-key").generate();
			this.foreignKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			byte[] jwks = new JWKSet(this.key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
			this.server.createContext("/idp/jwks.json", (exchange) -> {
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, jwks.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(jwks);
				}
			});
			this.server.start();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static TestIdentityProvider get() {
		return INSTANCE;
	}

	/** Points the gateway's resource server at this provider. */
	public static void register(DynamicPropertyRegistry registry) {
		registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", () -> INSTANCE.base() + "/jwks.json");
		registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", INSTANCE::issuer);
	}

	public Map<String, String> properties() {
		return Map.of("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", base() + "/jwks.json",
				"spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer());
	}

	public String issuer() {
		return base();
	}

	private String base() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/idp";
	}

	/** A valid token for {@code user} owning {@code orders}, good for ten minutes. */
	public String token(String user, String... orders) {
		return sign(claims(user, Duration.ofMinutes(10)).claim("orders", List.of(orders)).build(), this.key);
	}

	public String tokenWithScope(String user, String scope) {
		return sign(claims(user, Duration.ofMinutes(10)).claim("scope", scope).build(), this.key);
	}

	public String tokenExpiringIn(String user, Duration ttl) {
		return sign(claims(user, ttl).build(), this.key);
	}

	public String expiredToken(String user) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer())
			.subject(user)
			.issueTime(Date.from(Instant.now().minus(Duration.ofHours(2))))
			.expirationTime(Date.from(Instant.now().minus(Duration.ofHours(1))))
			.build();
		return sign(claims, this.key);
	}

	/**
	 * A valid token for {@code user} with extra claims (e.g. {@code rooms}), good for ten
	 * minutes.
	 */
	public String tokenWithClaims(String user, Map<String, Object> extra) {
		JWTClaimsSet.Builder claims = claims(user, Duration.ofMinutes(10));
		extra.forEach(claims::claim);
		return sign(claims.build(), this.key);
	}

	/**
	 * A valid signature and issuer, but no {@code exp}: a token that would never expire.
	 */
	public String tokenWithoutExpiry(String user) {
		return sign(new JWTClaimsSet.Builder().issuer(issuer()).subject(user).issueTime(new Date()).build(), this.key);
	}

	/**
	 * A valid token whose {@code sub} is {@code subject} (blank) or absent
	 * ({@code null}).
	 */
	public String tokenWithSubject(@Nullable String subject) {
		return sign(claims("x", Duration.ofMinutes(10)).subject(subject).build(), this.key);
	}

	/** Same claims, signed by a key the gateway does not trust. */
	public String badlySignedToken(String user) {
		return sign(claims(user, Duration.ofMinutes(10)).build(), this.foreignKey);
	}

	public String tokenFromIssuer(String user, String issuer) {
		return sign(claims(user, Duration.ofMinutes(10)).issuer(issuer).build(), this.key);
	}

	/** A channel token: proves {@code user} may subscribe to {@code destination}. */
	public String subscriptionToken(String user, String destination) {
		return sign(claims(user, Duration.ofMinutes(10)).claim("dest", destination).build(), this.key);
	}

	private JWTClaimsSet.Builder claims(String user, Duration ttl) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(issuer())
			.subject(user)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(ttl)));
	}

	/** Signs claims with RS256 and the key's id: how every test token here is made. */
	public static String sign(JWTClaimsSet claims, RSAKey key) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
