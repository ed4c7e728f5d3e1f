package io.courier.gateway.relay;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the relay decides about a SUBSCRIBE on its own: refusals, and which subscriptions
 * one topic may serve.
 */
class SubscribeRulesTests {

	private final SharedConnectionPolicy sharing = new SharedConnectionPolicy(List.of("/topic/"));

	@Test
	void aSubscribeWithoutIdOrDestinationADuplicatedIdOrAnUnknownAckModeIsRefused() {
		ClientSession session = new ClientSession("s1", null, null, 0, 0);
		assertThat(SubscribeRules.refusal(session, null, "/topic/a", null)).contains("needs an id and a destination");
		assertThat(SubscribeRules.refusal(session, "sub-0", null, null)).contains("needs an id and a destination");
		assertThat(SubscribeRules.refusal(session, "sub-0", "/topic/a", "sometimes")).contains("ack mode sometimes");
		assertThat(SubscribeRules.refusal(session, "sub-0", "/topic/a", "client-individual")).isNull();
		session.subscriptions.put("sub-0", new ClientSession.Subscription("sub-0", "/topic/a", null, null));
		assertThat(SubscribeRules.refusal(session, "sub-0", "/topic/b", null))
			.contains("duplicated subscription id sub-0");
	}

	@Test
	void onlyAPlainAutoAckSubscribeToASharedPrefixIsShared() {
		assertThat(SubscribeRules.isShareable(this.sharing, "/topic/a", subscribe(null))).isTrue();
		assertThat(SubscribeRules.isShareable(this.sharing, "/topic/a", subscribe("auto"))).isTrue();
		assertThat(SubscribeRules.isShareable(this.sharing, "/topic/a", subscribe("client"))).isFalse();
		assertThat(SubscribeRules.isShareable(this.sharing, "/queue/a", subscribe(null))).isFalse();
		StompHeaderAccessor withBrokerHeader = subscribe(null);
		withBrokerHeader.setNativeHeader("x-queue-name", "mine");
		assertThat(SubscribeRules.isShareable(this.sharing, "/topic/a", withBrokerHeader)).isFalse();
	}

	private static StompHeaderAccessor subscribe(String ack) {
		StompHeaderAccessor subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
		subscribe.setSubscriptionId("sub-0");
		subscribe.setDestination("/topic/a");
		if (ack != null) {
			subscribe.setAck(ack);
		}
		return subscribe;
	}

}
