package io.courier.gateway.stomp;

import java.security.Principal;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.user.UserDestinationResult;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.socket.messaging.DefaultSimpUserRegistry;
import org.springframework.web.socket.messaging.SessionConnectedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/** User destinations resolve to per-session routing keys on the {@code courier.user} exchange. */
class ExchangeUserDestinationResolverTests {

	private final DefaultSimpUserRegistry registry = new DefaultSimpUserRegistry();

	private final ExchangeUserDestinationResolver resolver = new ExchangeUserDestinationResolver(this.registry);

	private final Principal alice = () -> "alice";

	@BeforeEach
	void aliceIsConnectedTwice() {
		connect("s1", this.alice);
		connect("s2", this.alice);
		connect("b1", () -> "bob");
	}

	@Test
	void subscribeResolvesToTheSessionsRoutingKeyOnTheUserExchange() {
		UserDestinationResult result = this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/user/queue/order-updates", "s1", this.alice));
		assertThat(result).isNotNull();
		assertThat(result.getTargetDestinations())
			.containsExactly("/exchange/courier.user/queue.order-updates-users1");
		assertThat(result.getSubscribeDestination()).isEqualTo("/user/queue/order-updates");
		assertThat(result.getUser()).isEqualTo("alice");
	}

	@Test
	void nestedPathBecomesADottedRoutingKey() {
		UserDestinationResult result = this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/user/queue/orders/updates", "s2", this.alice));
		assertThat(result).isNotNull();
		assertThat(result.getTargetDestinations())
			.containsExactly("/exchange/courier.user/queue.orders.updates-users2");
	}

	@Test
	void messageToAUserReachesEveryOneOfTheirSessions() {
		UserDestinationResult result = this.resolver
			.resolveDestination(message(SimpMessageType.MESSAGE, "/user/alice/queue/order-updates", null, null));
		assertThat(result).isNotNull();
		assertThat(result.getTargetDestinations()).containsExactlyInAnyOrder(
				"/exchange/courier.user/queue.order-updates-users1",
				"/exchange/courier.user/queue.order-updates-users2");
		assertThat(result.getSubscribeDestination()).isEqualTo("/user/queue/order-updates");
		assertThat(result.getUser()).isEqualTo("alice");
	}

	@Test
	void messageToAUserWithoutSessionsHasNoTarget() {
		UserDestinationResult result = this.resolver
			.resolveDestination(message(SimpMessageType.MESSAGE, "/user/carol/queue/order-updates", null, null));
		assertThat(result).isNotNull();
		assertThat(result.getTargetDestinations()).isEmpty();
	}

	@Test
	void destinationOutsideTheUserPrefixIsNotResolved() {
		assertThat(this.resolver
			.resolveDestination(message(SimpMessageType.SUBSCRIBE, "/topic/public.news", "s1", this.alice)))
			.isNull();
	}

	private void connect(String sessionId, Principal user) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.CONNECT_ACK);
		accessor.setSessionId(sessionId);
		accessor.setUser(user);
		Message<byte[]> message = MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
		this.registry.onApplicationEvent(new SessionConnectedEvent(this, message, user));
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
