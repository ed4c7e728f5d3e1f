package io.courier.gateway.stomp;

import java.util.concurrent.BlockingQueue;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.messaging.simp.stomp.StompHeaders;

import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A frame over the size limit ends that session with an ERROR (announced as a
 * {@code frame-size} limit hit); the node keeps serving everyone else.
 */
class FrameSizeIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private ConnectionFactory connectionFactory;

	@Autowired
	private MeterRegistry meters;

	@Test
	void frameOverTomcatsDefaultEightKibButUnderTheLimitIsAccepted() throws Exception {
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
		StompHeaders headers = new StompHeaders();
		headers.setId("p".repeat(40 * 1024)); // any header RabbitMQ does not act on would
												// be refused: the id is long
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
		double hitsBefore = this.meters.counter("courier.limits.hits", "limit", "frame-size").count();

		try (ClusterTap tap = ClusterTap.open(this.connectionFactory, "limits.hit")) {
			sender.send("/app/echo", "x".repeat(200 * 1024));

			assertThat(sender.awaitError()).isEqualTo("frame too large: limit is 65536 bytes");
			assertThat(sender.awaitClosed()).isTrue();
			JsonNode hit = tap.await("limits.hit", "limit", "frame-size");
			assertThat(hit.get("detail").asString()).isEqualTo("frame too large: limit is 65536 bytes");
			assertThat(hit.get("sessionId").asString()).isNotEmpty();
			assertThat(hit.get("remoteAddress").asString()).isEqualTo("127.0.0.1");
		}
		assertThat(this.meters.counter("courier.limits.hits", "limit", "frame-size").count()).isEqualTo(hitsBefore + 1);
		awaitTopicDelivery("public.size-test", "still here", news);
		bystander.disconnect();
	}

}
