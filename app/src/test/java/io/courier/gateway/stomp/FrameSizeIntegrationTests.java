package io.courier.gateway.stomp;

import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.simp.stomp.StompHeaders;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/** A frame over the size limit ends that session with an ERROR; the node keeps serving everyone else. */
class FrameSizeIntegrationTests extends GatewayIntegrationTest {

	@Test
	void frameOverTomcatsDefaultEightKibButUnderTheLimitIsAccepted() throws Exception {
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
		StompHeaders headers = new StompHeaders();
		headers.add("x-padding", "p".repeat(40 * 1024));
		BlockingQueue<String> news = alice.subscribe("/topic/public.big-frame", headers);

		awaitTopicDelivery("public.big-frame", "accepted", news);
		assertThat(alice.isClosed()).isFalse();
		alice.disconnect();
	}

	@Test
	void oversizedFrameGetsErrorAndCloseWhileOtherSessionsKeepReceiving() throws Exception {
		Connection bystander = StompTestClient.connect(wsUrl(), this.idp.token("bob"));
		BlockingQueue<String> news = bystander.subscribe("/topic/public.size-test");
		Connection sender = StompTestClient.connect(wsUrl(), this.idp.token("alice"));

		sender.send("/app/echo", "x".repeat(200 * 1024));

		assertThat(sender.awaitError())
			.isEqualTo("frame too large: limit is 65536 bytes");
		assertThat(sender.awaitClosed()).isTrue();
		awaitTopicDelivery("public.size-test", "still here", news);
		bystander.disconnect();
	}

}
