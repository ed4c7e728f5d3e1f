package io.courier.gateway.stomp;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/** Which copies of a user-destination MESSAGE a session drops on its way out. */
class UserSessionFilterTests {

	@Test
	void aCopyMeantForAnotherSessionIsDropped() {
		assertThat(UserSessionFilter.isForAnotherSession(message("s2", "s1"))).isTrue();
	}

	@Test
	void theSessionItIsMeantForKeepsIt() {
		assertThat(UserSessionFilter.isForAnotherSession(message("s1", "s1"))).isFalse();
	}

	@Test
	void aMessageForEverySessionOfTheUserIsKept() {
		assertThat(UserSessionFilter.isForAnotherSession(message("s2", null))).isFalse();
	}

	@Test
	void onlyMessagesAreFiltered() {
		StompHeaderAccessor receipt = StompHeaderAccessor.create(StompCommand.RECEIPT);
		receipt.setSessionId("s2");
		receipt.setNativeHeader(UserSessionFilter.SESSION_HEADER, "s1");
		assertThat(UserSessionFilter
			.isForAnotherSession(MessageBuilder.createMessage(new byte[0], receipt.getMessageHeaders()))).isFalse();
	}

	private static Message<byte[]> message(String deliveredTo, @Nullable String meantFor) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.MESSAGE);
		accessor.setSessionId(deliveredTo);
		accessor.setSubscriptionId("sub-0");
		accessor.setDestination("/user/queue/replies");
		if (meantFor != null) {
			accessor.setNativeHeader(UserSessionFilter.SESSION_HEADER, meantFor);
		}
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

}
