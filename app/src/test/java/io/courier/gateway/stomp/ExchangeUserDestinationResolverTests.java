package io.courier.gateway.stomp;

import java.security.Principal;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.user.UserDestinationResult;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * User destinations resolve to one routing key per (destination, user) on the
 * {@code courier.user} exchange.
 */
class ExchangeUserDestinationResolverTests {

	private static final String ALICE_KEY = "YWxpY2U"; // base64url("alice"), unpadded

	private final ExchangeUserDestinationResolver resolver = new ExchangeUserDestinationResolver();

	private final Principal alice = () -> "alice";

	@Test
	void subscribeResolvesToTheUsersRoutingKeyOnTheUserExchange() {
		UserDestinationResult result = this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/user/queue/order-updates", "s1", this.alice));
		assertThat(result).isNotNull();
		assertThat(result.getTargetDestinations())
			.containsExactly("/exchange/courier.user/queue.order-updates.u." + ALICE_KEY);
		assertThat(result.getSubscribeDestination()).isEqualTo("/user/queue/order-updates");
		assertThat(result.getUser()).isEqualTo("alice");
		assertThat(result.getSessionIds()).containsExactly("s1");
	}

	@Test
	void everySessionOfTheUserSubscribesTheSameKey() {
		UserDestinationResult first = this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/user/queue/order-updates", "s1", this.alice));
		UserDestinationResult second = this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/user/queue/order-updates", "s2", this.alice));
		assertThat(first).isNotNull();
		assertThat(second).isNotNull();
		assertThat(second.getTargetDestinations()).isEqualTo(first.getTargetDestinations());
	}

	@Test
	void nestedPathBecomesADottedRoutingKey() {
		UserDestinationResult result = this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/user/queue/orders/updates", "s2", this.alice));
		assertThat(result).isNotNull();
		assertThat(result.getTargetDestinations())
			.containsExactly("/exchange/courier.user/queue.orders.updates.u." + ALICE_KEY);
	}

	@Test
	void messageToAUserIsOnePublishToTheKeyItsSessionsSubscribed() {
		UserDestinationResult result = this.resolver
			.resolveDestination(message(SimpMessageType.MESSAGE, "/user/alice/queue/order-updates", null, null));
		assertThat(result).isNotNull();
		assertThat(result.getTargetDestinations())
			.containsExactly("/exchange/courier.user/queue.order-updates.u." + ALICE_KEY);
		assertThat(result.getSubscribeDestination()).isEqualTo("/user/queue/order-updates");
		assertThat(result.getUser()).isEqualTo("alice");
	}

	@Test
	void slashInTheUserNameArrivesEscapedAndResolvesToTheSameKeyAsItsSubscription() {
		Principal slashed = () -> "tenant/alice";
		UserDestinationResult subscription = this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/user/queue/order-updates", "s1", slashed));
		UserDestinationResult sent = this.resolver.resolveDestination(
				message(SimpMessageType.MESSAGE, "/user/tenant%2Falice/queue/order-updates", null, null));
		assertThat(subscription).isNotNull();
		assertThat(sent).isNotNull();
		assertThat(sent.getTargetDestinations()).isEqualTo(subscription.getTargetDestinations());
		assertThat(sent.getUser()).isEqualTo("tenant/alice");
	}

	@Test
	void namesThatLookLikeKeysOrWildcardsStayDistinct() {
		// "alice.u.x" must not be able to share a key with "alice"; '#' and '*' are no
		// wildcards on the direct
		// exchange, and the encoding leaves neither them nor '.' in the key anyway.
		assertThat(target("alice")).isNotEqualTo(target("alice.u.x")).isNotEqualTo(target("#"));
		assertThat(target("#").substring(ExchangeUserDestinationResolver.PREFIX.length())).doesNotContain("#", "*");
		assertThat(target("a.b").substring(target("a.b").lastIndexOf(".u.") + 3)).doesNotContain(".");
	}

	@Test
	void aVeryLongNameIsHashedSoTheKeyStaysUnder255Bytes() {
		String longName = "x".repeat(1000);
		String target = target(longName);
		assertThat(target).contains(".h.");
		assertThat(target.length() - ExchangeUserDestinationResolver.PREFIX.length()).isLessThan(255);
		assertThat(target).isNotEqualTo(target(longName + "y"));
	}

	@Test
	void subscribeWithoutAUserIsNotResolved() {
		assertThat(this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/user/queue/order-updates", "s1", null))).isNull();
	}

	@Test
	void destinationOutsideTheUserPrefixIsNotResolved() {
		assertThat(this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/topic/public.news", "s1", this.alice))).isNull();
	}

	@Test
	void messageWithoutAUserSegmentIsNotResolved() {
		assertThat(this.resolver.resolveDestination(message(SimpMessageType.MESSAGE, "/user/alice", null, null)))
			.isNull();
	}

	private String target(String user) {
		UserDestinationResult result = this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/user/queue/order-updates", "s1", () -> user));
		assertThat(result).isNotNull();
		return result.getTargetDestinations().iterator().next();
	}

	private static Message<byte[]> message(SimpMessageType type, String destination, @Nullable String sessionId,
			@Nullable Principal user) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(type);
		accessor.setDestination(destination);
		accessor.setSessionId(sessionId);
		accessor.setUser(user);
		if (type == SimpMessageType.SUBSCRIBE) {
			accessor.setSubscriptionId("sub-0");
		}
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

}
