package io.courier.gateway.stomp;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.stomp.StompHeaders;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A frame over the size limit ends that session with an ERROR; the node keeps serving everyone else. */
class FrameSizeIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private RabbitTemplate rabbit;

	@Test
	void frameOverTomcatsDefaultEightKibButUnderTheLimitIsAccepted() throws Exception {
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
		StompHeaders headers = new StompHeaders();
		headers.add("x-padding", "p".repeat(40 * 1024));
		BlockingQueue<String> news = alice.subscribe("/topic/public.big-frame", headers);

		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			this.rabbit.convertAndSend("amq.topic", "public.big-frame", "accepted");
			assertThat(news.poll(300, TimeUnit.MILLISECONDS)).isEqualTo("accepted");
		});
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
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			this.rabbit.convertAndSend("amq.topic", "public.size-test", "still here");
			assertThat(news.poll(300, TimeUnit.MILLISECONDS)).isEqualTo("still here");
		});
		bystander.disconnect();
	}

}
