package io.courier.gateway.security;

import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import io.courier.gateway.security.DestinationRule.Access;
import io.courier.gateway.security.DestinationRule.Frame;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.support.TestIdentityProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The destination rule table with the default rules, decided by {@link DestinationAuthorizer} alone: a real
 * {@link TokenVerifier} on a key generated here checks subscription tokens.
 */
class DestinationAuthorizerTests {

	private static final String ISSUER = "https://idp.test";

	private static final RSAKey TRUSTED = generateKey();

	private static final RSAKey FOREIGN = generateKey();

	private static final JwtAuthenticationToken ALICE = user("alice", null);

	private static final JwtAuthenticationToken OWNER = user("alice", List.of("42"));

	private static final JwtAuthenticationToken NUMERIC_OWNER = user("alice", List.of(7, 42));

	private static final JwtAuthenticationToken STRANGER = user("mallory", List.of("43"));

	private final DestinationAuthorizer authorizer = authorizer(List.of());

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("granted")
	void grants(Frame frame, String destination, JwtAuthenticationToken user, @Nullable String subscriptionToken) {
		assertThatCode(() -> this.authorizer.authorize(frame, destination, user, subscriptionToken))
			.doesNotThrowAnyException();
	}

	static Stream<Arguments> granted() {
		return Stream.of(arguments(Frame.SEND, "/app/orders.cancel", ALICE, null),
				arguments(Frame.SUBSCRIBE, "/user/queue/order-updates", ALICE, null),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", OWNER, null),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", NUMERIC_OWNER, null),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", ALICE, subscriptionToken("alice", "/topic/orders.42")),
				arguments(Frame.SUBSCRIBE, "/topic/public.news", ALICE, null));
	}

	@ParameterizedTest(name = "{0} {1} -> {4}")
	@MethodSource("refused")
	void refuses(Frame frame, @Nullable String destination, JwtAuthenticationToken user,
			@Nullable String subscriptionToken, String message) {
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> this.authorizer.authorize(frame, destination, user, subscriptionToken))
			.withMessage(message)
			.satisfies((rejection) -> assertThat(rejection.error()).isEqualTo(ClientError.FORBIDDEN_DESTINATION));
	}

	static Stream<Arguments> refused() {
		return Stream.of(
				arguments(Frame.SEND, "/topic/public.news", ALICE, null,
						"forbidden destination: /topic/public.news (no rule grants SEND)"),
				arguments(Frame.SEND, "/queue/x", ALICE, null, "forbidden destination: /queue/x (no rule grants SEND)"),
				arguments(Frame.SEND, "/user/alice/queue/x", ALICE, null,
						"forbidden destination: /user/alice/queue/x (no rule grants SEND)"),
				arguments(Frame.SEND, "/exchange/courier.user/x", ALICE, null,
						"forbidden destination: /exchange/courier.user/x (not served: Courier serves /app/, /user/, /topic/ and /queue/ destinations)"),
				arguments(Frame.SEND, "/amq/queue/x", ALICE, null, "forbidden destination: /amq/queue/x (not served: Courier serves /app/, /user/, /topic/ and /queue/ destinations)"),
				arguments(Frame.SEND, null, ALICE, null, "forbidden destination: (none) (no destination header)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", STRANGER, null,
						"forbidden destination: /topic/orders.42 (not the order's owner)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", ALICE, null,
						"forbidden destination: /topic/orders.42 (not the order's owner)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", STRANGER, subscriptionToken("alice", "/topic/orders.42"),
						"forbidden destination: /topic/orders.42 (subscription-token is for another user)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", ALICE, subscriptionToken("alice", "/topic/orders.43"),
						"forbidden destination: /topic/orders.42 (subscription-token is for another destination)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", ALICE, subscriptionToken("alice", null),
						"forbidden destination: /topic/orders.42 (subscription-token is for another destination)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", ALICE,
						TestIdentityProvider.sign(claims("alice", "/topic/orders.42", Duration.ofMinutes(5)), FOREIGN),
						"forbidden destination: /topic/orders.42 (subscription-token: invalid token signature)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", ALICE,
						TestIdentityProvider.sign(claims("alice", "/topic/orders.42", Duration.ofMinutes(-5)), TRUSTED),
						"forbidden destination: /topic/orders.42 (subscription-token: token expired)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", ALICE,
						TestIdentityProvider.sign(new JWTClaimsSet.Builder(claims("alice", "/topic/orders.42", Duration.ofMinutes(5)))
							.issuer("https://evil.example")
							.build(), TRUSTED),
						"forbidden destination: /topic/orders.42 (subscription-token: wrong token issuer)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", ALICE, "not-a-jwt",
						"forbidden destination: /topic/orders.42 (subscription-token: malformed token)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.*", OWNER, null,
						"forbidden destination: /topic/orders.* (wildcards and escapes are not allowed)"),
				arguments(Frame.SUBSCRIBE, "/topic/#", OWNER, null,
						"forbidden destination: /topic/# (wildcards and escapes are not allowed)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.4%32", OWNER, null,
						"forbidden destination: /topic/orders.4%32 (wildcards and escapes are not allowed)"),
				arguments(Frame.SUBSCRIBE, "/topic/anything-else", ALICE, null,
						"forbidden destination: /topic/anything-else (no rule grants SUBSCRIBE)"),
				arguments(Frame.SUBSCRIBE, "/user/bob/queue/order-updates", ALICE, null,
						"forbidden destination: /user/bob/queue/order-updates (no rule grants SUBSCRIBE)"),
				arguments(Frame.SUBSCRIBE, "/queue/order-updates-users1", ALICE, null,
						"forbidden destination: /queue/order-updates-users1 (no rule grants SUBSCRIBE)"),
				arguments(Frame.SUBSCRIBE, "/exchange/courier.user/queue.order-updates-userX", ALICE, null,
						"forbidden destination: /exchange/courier.user/queue.order-updates-userX (not served: Courier serves /app/, /user/, /topic/ and /queue/ destinations)"),
				arguments(Frame.SUBSCRIBE, "/app/orders.cancel", ALICE, null,
						"forbidden destination: /app/orders.cancel (no rule grants SUBSCRIBE)"));
	}

	/**
	 * Refused before any rule is read, even under a rule that would grant everything: what the gateway or RabbitMQ
	 * keeps for itself, what Courier does not serve, and names RabbitMQ would refuse by closing the connection.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("notServed")
	void refusedWhateverTheRules(String destination, ClientError error, String message) {
		DestinationAuthorizer permissive = authorizer(List.of(new DestinationRule(Frame.SUBSCRIBE, "/**", Access.AUTHENTICATED)));
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> permissive.authorize(Frame.SUBSCRIBE, destination, ALICE, null))
			.withMessage(message)
			.satisfies((rejection) -> assertThat(rejection.error()).isEqualTo(error));
	}

	static Stream<Arguments> notServed() {
		String notServed = "(not served: Courier serves /app/, /user/, /topic/ and /queue/ destinations)";
		String longName = "x".repeat(256);
		return Stream.of(
				arguments("/queue/courier.order-events.dlq", ClientError.FORBIDDEN_DESTINATION,
						"forbidden destination: /queue/courier.order-events.dlq (queues courier.* are reserved for the gateway)"),
				arguments("/queue/amq.gen-x", ClientError.FORBIDDEN_DESTINATION,
						"forbidden destination: /queue/amq.gen-x (queues amq.* are reserved for RabbitMQ)"),
				arguments("/queue/stomp-subscription-abc", ClientError.FORBIDDEN_DESTINATION,
						"forbidden destination: /queue/stomp-subscription-abc (queues stomp-subscription-* are reserved for RabbitMQ)"),
				arguments("/exchange/courier.user/queue.x.u.Ym9i", ClientError.FORBIDDEN_DESTINATION,
						"forbidden destination: /exchange/courier.user/queue.x.u.Ym9i " + notServed),
				arguments("/exchange/amq.direct/x", ClientError.FORBIDDEN_DESTINATION,
						"forbidden destination: /exchange/amq.direct/x " + notServed),
				arguments("/amq/queue/courier.order-events", ClientError.FORBIDDEN_DESTINATION,
						"forbidden destination: /amq/queue/courier.order-events " + notServed),
				arguments("/temp-queue/x", ClientError.FORBIDDEN_DESTINATION, "forbidden destination: /temp-queue/x " + notServed),
				arguments("/reply-queue/x", ClientError.FORBIDDEN_DESTINATION, "forbidden destination: /reply-queue/x " + notServed),
				arguments("/foo/bar", ClientError.FORBIDDEN_DESTINATION, "forbidden destination: /foo/bar " + notServed),
				arguments("/topic/a/b", ClientError.INVALID_DESTINATION,
						"invalid destination: /topic/a/b (a name may not contain '/')"),
				arguments("/topic/", ClientError.INVALID_DESTINATION, "invalid destination: /topic/ (no name)"),
				arguments("/queue/a/b", ClientError.INVALID_DESTINATION,
						"invalid destination: /queue/a/b (a name may not contain '/')"),
				arguments("/topic/" + longName, ClientError.INVALID_DESTINATION,
						"invalid destination: /topic/" + "x".repeat(32) + "... (the name is 256 bytes, at most 255)"),
				arguments("/user/queue/" + "y".repeat(95), ClientError.INVALID_DESTINATION,
						"invalid destination: /user/queue/" + "y".repeat(26) + "... (the name is 101 bytes, at most 100)"),
				arguments("/topic/public.a\nINFO forged", ClientError.INVALID_DESTINATION,
						"invalid destination: /topic/public.a\nINFO forged (control characters are not allowed)"));
	}

	@Test
	void aRuleNamesTheBrokerHeadersItAllows() {
		DestinationAuthorizer custom = authorizer(List.of(new DestinationRule(Frame.SUBSCRIBE, "/queue/work.*",
				Access.AUTHENTICATED, List.of("Prefetch-Count ", "x-stream-offset"))));
		assertThat(custom.authorize(Frame.SUBSCRIBE, "/queue/work.a", ALICE, null).brokerHeaders())
			.containsExactly("prefetch-count", "x-stream-offset");
		assertThat(authorizer(List.of()).authorize(Frame.SUBSCRIBE, "/topic/public.x", ALICE, null).brokerHeaders())
			.isEmpty();
	}

	@Test
	void denyRuleBeforeABroaderAllowRefuses() {
		DestinationAuthorizer custom = authorizer(
				List.of(new DestinationRule(Frame.SUBSCRIBE, "/topic/public.internal*", Access.DENY),
						new DestinationRule(Frame.SUBSCRIBE, "/topic/public.**", Access.AUTHENTICATED)));
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> custom.authorize(Frame.SUBSCRIBE, "/topic/public.internal-audit", ALICE, null))
			.withMessage("forbidden destination: /topic/public.internal-audit (denied by rule /topic/public.internal*)");
		assertThatCode(() -> custom.authorize(Frame.SUBSCRIBE, "/topic/public.news", ALICE, null))
			.doesNotThrowAnyException();
	}

	@Test
	void customRulesReplaceTheDefaults() {
		DestinationAuthorizer custom = authorizer(
				List.of(new DestinationRule(Frame.SUBSCRIBE, "/topic/public.**", Access.AUTHENTICATED)));
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> custom.authorize(Frame.SEND, "/app/orders.cancel", ALICE, null))
			.withMessage("forbidden destination: /app/orders.cancel (no rule grants SEND)");
	}

	@Test
	void orderOwnerRuleWithoutOrderIdRefuses() {
		DestinationAuthorizer custom = authorizer(
				List.of(new DestinationRule(Frame.SUBSCRIBE, "/topic/orders.{id}", Access.ORDER_OWNER)));
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> custom.authorize(Frame.SUBSCRIBE, "/topic/orders.42", OWNER, null))
			.withMessage("forbidden destination: /topic/orders.42 (rule /topic/orders.{id} names no {orderId})");
	}

	private static DestinationAuthorizer authorizer(List<DestinationRule> rules) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(publicKey(TRUSTED)).build();
		decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(ISSUER));
		return new DestinationAuthorizer(new DestinationRulesProperties(rules), new TokenVerifier(decoder));
	}

	private static JwtAuthenticationToken user(String name, @Nullable List<?> orders) {
		Instant now = Instant.now();
		Jwt.Builder jwt = Jwt.withTokenValue("connect-token-of-" + name)
			.header("alg", "RS256")
			.issuer(ISSUER)
			.subject(name)
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofMinutes(10)));
		if (orders != null) {
			jwt.claim("orders", orders);
		}
		return new JwtAuthenticationToken(jwt.build());
	}

	private static String subscriptionToken(String user, @Nullable String destination) {
		return TestIdentityProvider.sign(claims(user, destination, Duration.ofMinutes(5)), TRUSTED);
	}

	private static JWTClaimsSet claims(String user, @Nullable String destination, Duration ttl) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject(user)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now.minus(Duration.ofMinutes(30))))
			.expirationTime(Date.from(now.plus(ttl)));
		if (destination != null) {
			claims.claim("dest", destination);
		}
		return claims.build();
	}

	private static RSAKey generateKey() {
		try {
			return new RSAKeyGenerator(2048).keyID("test-key").generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAPublicKey publicKey(RSAKey key) {
		try {
			return key.toRSAPublicKey();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
