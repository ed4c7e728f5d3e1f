package io.courier.gateway.security;

import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
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
 * The destination rule table with the default rules, decided by
 * {@link DestinationAuthorizer} alone: a real {@link TokenVerifier} on a key generated
 * here checks subscription tokens.
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
				arguments(Frame.SEND, "/amq/queue/x", ALICE, null,
						"forbidden destination: /amq/queue/x (not served: Courier serves /app/, /user/, /topic/ and /queue/ destinations)"),
				arguments(Frame.SEND, null, ALICE, null, "forbidden destination: (none) (no destination header)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", STRANGER, null,
						"forbidden destination: /topic/orders.42 (42 is not in the token's orders claim)"),
				arguments(Frame.SUBSCRIBE, "/topic/orders.42", ALICE, null,
						"forbidden destination: /topic/orders.42 (42 is not in the token's orders claim)"),
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
						TestIdentityProvider
							.sign(new JWTClaimsSet.Builder(claims("alice", "/topic/orders.42", Duration.ofMinutes(5)))
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
	 * Refused before any rule is read, even under a rule that would grant everything:
	 * what the gateway or RabbitMQ keeps for itself, what Courier does not serve, and
	 * names RabbitMQ would refuse by closing the connection.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("notServed")
	void refusedWhateverTheRules(String destination, ClientError error, String message) {
		DestinationAuthorizer permissive = authorizer(
				List.of(new DestinationRule(Frame.SUBSCRIBE, "/**", Access.AUTHENTICATED)));
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> permissive.authorize(Frame.SUBSCRIBE, destination, ALICE, null))
			.withMessage(message)
			.satisfies((rejection) -> assertThat(rejection.error()).isEqualTo(error));
	}

	static Stream<Arguments> notServed() {
		String notServed = "(not served: Courier serves /app/, /user/, /topic/ and /queue/ destinations)";
		String longName = "x".repeat(256);
		return Stream.of(arguments("/queue/courier.order-events.dlq", ClientError.FORBIDDEN_DESTINATION,
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
				arguments("/temp-queue/x", ClientError.FORBIDDEN_DESTINATION,
						"forbidden destination: /temp-queue/x " + notServed),
				arguments("/reply-queue/x", ClientError.FORBIDDEN_DESTINATION,
						"forbidden destination: /reply-queue/x " + notServed),
				arguments("/foo/bar", ClientError.FORBIDDEN_DESTINATION,
						"forbidden destination: /foo/bar " + notServed),
				arguments("/topic/a/b", ClientError.INVALID_DESTINATION,
						"invalid destination: /topic/a/b (a name may not contain '/')"),
				arguments("/topic/", ClientError.INVALID_DESTINATION, "invalid destination: /topic/ (no name)"),
				arguments("/queue/a/b", ClientError.INVALID_DESTINATION,
						"invalid destination: /queue/a/b (a name may not contain '/')"),
				arguments("/topic/" + longName, ClientError.INVALID_DESTINATION,
						"invalid destination: /topic/" + "x".repeat(32) + "... (the name is 256 bytes, at most 255)"),
				arguments("/user/queue/" + "y".repeat(95), ClientError.INVALID_DESTINATION,
						"invalid destination: /user/queue/" + "y".repeat(26)
								+ "... (the name is 101 bytes, at most 100)"),
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
			.withMessage(
					"forbidden destination: /topic/public.internal-audit (denied by rule /topic/public.internal*)");
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
			.withMessage("forbidden destination: /topic/orders.42 (the rule's pattern names no {orderId})");
	}

	@Test
	void theDeprecatedOrderOwnerStillMeansTheOrdersClaim() {
		DestinationAuthorizer legacy = authorizer(
				List.of(new DestinationRule(Frame.SUBSCRIBE, "/topic/orders.{orderId}", Access.ORDER_OWNER)));
		assertThatCode(() -> legacy.authorize(Frame.SUBSCRIBE, "/topic/orders.42", OWNER, null))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> legacy.authorize(Frame.SUBSCRIBE, "/topic/orders.42", STRANGER, null))
			.withMessage("forbidden destination: /topic/orders.42 (42 is not in the token's orders claim)");
	}

	/** One row per access kind: a user it grants, one it refuses, and the reason. */
	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("accessKinds")
	void eachAccessKindGrantsAndRefuses(DestinationRule rule, String destination, JwtAuthenticationToken granted,
			JwtAuthenticationToken refused, String reason) {
		DestinationAuthorizer custom = authorizer(List.of(rule));
		assertThat(custom.authorize(rule.frame(), destination, granted, null)).isEqualTo(rule);
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> custom.authorize(rule.frame(), destination, refused, null))
			.withMessage("forbidden destination: " + destination + " (" + reason + ")");
	}

	static Stream<Arguments> accessKinds() {
		JwtAuthenticationToken roomsList = userWithClaims("alice", Map.of("rooms", List.of("general", "ops")));
		JwtAuthenticationToken roomsString = userWithClaims("carol", Map.of("rooms", "ops general"));
		JwtAuthenticationToken noRooms = userWithClaims("mallory", Map.of("rooms", List.of("ops")));
		JwtAuthenticationToken writer = userWithClaims("dave", Map.of("scope", "orders:read chat:write"));
		JwtAuthenticationToken writerScp = userWithClaims("erin", Map.of("scp", List.of("chat:write")));
		JwtAuthenticationToken reader = userWithClaims("mallory", Map.of("scope", "chat:read"));
		DestinationRule chat = new DestinationRule(Frame.SEND, "/topic/chat.{room}", Access.CLAIM, List.of(), "rooms",
				null, null);
		DestinationRule two = new DestinationRule(Frame.SUBSCRIBE, "/topic/chat.{room}.{thread}", Access.CLAIM,
				List.of(), "rooms", null, "room");
		DestinationRule self = new DestinationRule(Frame.SUBSCRIBE, "/topic/users.{userId}", Access.SELF);
		DestinationRule scope = new DestinationRule(Frame.SEND, "/app/chat.**", Access.SCOPE, List.of(), null,
				"chat:write", null);
		return Stream.of(
				arguments(chat, "/topic/chat.general", roomsList, noRooms, "general is not in the token's rooms claim"),
				arguments(chat, "/topic/chat.general", roomsString, noRooms,
						"general is not in the token's rooms claim"),
				arguments(two, "/topic/chat.general.t1", roomsList, noRooms,
						"general is not in the token's rooms claim"),
				arguments(self, "/topic/users.alice", ALICE, STRANGER,
						"not the caller's own (userId is not the token's sub)"),
				arguments(scope, "/app/chat.post", writer, reader, "the token lacks scope chat:write"),
				arguments(scope, "/app/chat.post", writerScp, reader, "the token lacks scope chat:write"));
	}

	@Test
	void aSubscriptionTokenGrantsWhatAClaimRuleRefusesButNotADenyRule() {
		JwtAuthenticationToken noRooms = userWithClaims("alice", Map.of());
		DestinationAuthorizer custom = authorizer(
				List.of(new DestinationRule(Frame.SUBSCRIBE, "/topic/chat.secret", Access.DENY),
						DestinationRule.claim(Frame.SUBSCRIBE, "/topic/chat.{room}", "rooms")));
		assertThatCode(() -> custom.authorize(Frame.SUBSCRIBE, "/topic/chat.general", noRooms,
				subscriptionToken("alice", "/topic/chat.general")))
			.doesNotThrowAnyException();
		assertThatExceptionOfType(ClientRejection.class)
			.isThrownBy(() -> custom.authorize(Frame.SUBSCRIBE, "/topic/chat.secret", noRooms,
					subscriptionToken("alice", "/topic/chat.secret")))
			.withMessage("forbidden destination: /topic/chat.secret (denied by rule /topic/chat.secret)");
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("badRules")
	void aRuleThatCannotDecideIsRefusedAtStartNamingTheProperty(DestinationRule rule, String message) {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(
					() -> authorizer(List.of(new DestinationRule(Frame.SEND, "/app/**", Access.AUTHENTICATED), rule)))
			.withMessage(message);
	}

	static Stream<Arguments> badRules() {
		return Stream.of(
				arguments(new DestinationRule(Frame.SEND, "/topic/chat.{room}", Access.CLAIM),
						"courier.security.rules[1].claim is required for access CLAIM"),
				arguments(new DestinationRule(Frame.SEND, "/app/x", Access.SCOPE),
						"courier.security.rules[1].scope is required for access SCOPE"),
				arguments(new DestinationRule(Frame.SEND, "/topic/a.{x}.{y}", Access.SELF),
						"courier.security.rules[1]: access SELF needs the pattern to name one {variable}, or .variable to "
								+ "say which (pattern /topic/a.{x}.{y})"),
				arguments(new DestinationRule(Frame.SEND, "/topic/a.{x}", Access.CLAIM, List.of(), "rooms", null, "y"),
						"courier.security.rules[1].variable: the pattern /topic/a.{x} has no {y}"));
	}

	private static DestinationAuthorizer authorizer(List<DestinationRule> rules) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(publicKey(TRUSTED)).build();
		decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(ISSUER));
		return new DestinationAuthorizer(new DestinationRulesProperties(rules), new TokenVerifier(decoder));
	}

	private static JwtAuthenticationToken userWithClaims(String name, Map<String, Object> claims) {
		Instant now = Instant.now();
		Jwt.Builder jwt = Jwt.withTokenValue("connect-token-of-" + name)
			.header("alg", "RS256")
			.issuer(ISSUER)
			.subject(name)
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofMinutes(10)));
		claims.forEach(jwt::claim);
		return new JwtAuthenticationToken(jwt.build());
	}

	private static JwtAuthenticationToken user(String name, @Nullable List<?> orders) {
		return userWithClaims(name, (orders != null) ? Map.of("orders", orders) : Map.of());
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
