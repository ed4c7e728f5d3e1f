package io.courier.gateway.dev;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dev mode's token issuer (absent unless {@code courier.dev.enabled=true}):
 * {@code GET /dev/jwks.json} serves the public key for
 * {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri}, and
 * {@code POST /dev/tokens?user=alice&orders=42,43&rooms=general} mints a token for a
 * user, their orders, chat rooms and optional scopes.
 */
@RestController
@ConditionalOnBooleanProperty("courier.dev.enabled")
class DevTokenController {

	private final DevProperties properties;

	private final RSAKey key;

	private final JwtEncoder encoder;

	DevTokenController(DevProperties properties) {
		this.properties = properties;
		this.key = DevKeys.loadOrCreate(properties.keyDir());
		this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(this.key)));
	}

	@GetMapping("/dev/jwks.json")
	Map<String, Object> jwks() {
		return new JWKSet(this.key.toPublicJWK()).toJSONObject();
	}

	@PostMapping("/dev/tokens")
	Map<String, Object> mint(@RequestParam String user, @RequestParam(defaultValue = "") String orders,
			@RequestParam(defaultValue = "") String rooms, @RequestParam(defaultValue = "") String scope,
			@RequestParam(required = false) @Nullable Duration ttl) {
		Instant now = Instant.now();
		Instant expiresAt = now.plus((ttl != null) ? ttl : this.properties.tokenTtl());
		List<String> orderIds = list(orders);
		List<String> roomNames = list(rooms);
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(this.properties.issuer())
			.subject(user)
			.issuedAt(now)
			.expiresAt(expiresAt)
			.claim("orders", orderIds)
			.claim("rooms", roomNames);
		if (!scope.isBlank()) {
			claims.claim("scope", scope);
		}
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(DevKeys.KEY_ID).build();
		String token = this.encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
		return Map.of("token", token, "user", user, "orders", orderIds, "rooms", roomNames, "expiresAt",
				expiresAt.toString());
	}

	private static List<String> list(String commaSeparated) {
		return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter((s) -> !s.isEmpty()).toList();
	}

}
