package io.courier.gateway.limits;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-session and per-user limits on a real gateway: a session that floods, a user with too many tabs. Each hit
 * is announced once as {@code limits.hit} on {@code courier.cluster} and counted in {@code courier.limits.hits}.
 */
@TestPropertySource(properties = { "courier.limits.frame-rate=1", "courier.limits.frame-burst=3",
		"courier.limits.sessions-per-user=2" })
class LimitsIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private InboundRateLimiter rateLimiter;

	@Autowired
	private ConnectionFactory connectionFactory;

	@Autowired
	private MeterRegistry meters;

	@Test
	void floodGetsRateLimitErrorAfterEveryAcceptedFrameWasForwarded() throws Exception {
		double hitsBefore = hits("frame-rate");
		try (ClusterTap tap = ClusterTap.open(this.connectionFactory, "limits.hit")) {
			Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
			BlockingQueue<String> first = alice.subscribe("/topic/public.rate-a");
			BlockingQueue<String> second = alice.subscribe("/topic/public.rate-b");
			awaitTopicDelivery("public.rate-a", "a", first);
			awaitTopicDelivery("public.rate-b", "b", second);

			for (int i = 0; i < 5; i++) {
				alice.send("/app/noop", "flood " + i);
			}

			assertThat(alice.awaitError()).isEqualTo("rate limit exceeded: 1.0 frames/s, burst 3");
			assertThat(alice.awaitClosed()).isTrue();
			await().atMost(10, TimeUnit.SECONDS).until(() -> this.rateLimiter.trackedSessions() == 0);

			JsonNode hit = tap.await("limits.hit", "user", "alice");
			assertThat(hit.get("limit").asString()).isEqualTo("frame-rate");
			assertThat(hit.get("nodeId").asString()).isEqualTo("test-node");
			assertThat(hit.get("detail").asString()).isEqualTo("rate limit exceeded: 1.0 frames/s, burst 3");
			assertThat(hit.get("sessionId").asString()).isNotEmpty();
			assertThat(hit.get("remoteAddress").asString()).startsWith("127.0.0.1:");
			assertThat(hit.get("at").asString()).isNotEmpty();
			assertThat(hits("frame-rate")).isEqualTo(hitsBefore + 1);
		}
	}

	@Test
	void connectBeyondSessionsPerUserGetsErrorWhileTheFirstOnesStay() throws Exception {
		double hitsBefore = hits("sessions-per-user");
		try (ClusterTap tap = ClusterTap.open(this.connectionFactory, "limits.hit")) {
			Connection tab1 = StompTestClient.connect(wsUrl(), this.idp.token("dave"));
			Connection tab2 = StompTestClient.connect(wsUrl(), this.idp.token("dave"));

			Connection tab3 = StompTestClient.open(wsUrl(), this.idp.token("dave"));

			assertThat(tab3.awaitError()).isEqualTo("too many sessions: limit 2 per user");
			assertThat(tab3.awaitClosed()).isTrue();
			assertThat(tab1.session().isConnected()).isTrue();
			assertThat(tab2.session().isConnected()).isTrue();
			JsonNode hit = tap.await("limits.hit", "user", "dave");
			assertThat(hit.get("limit").asString()).isEqualTo("sessions-per-user");
			assertThat(hit.get("detail").asString()).isEqualTo("too many sessions: limit 2 per user");
			assertThat(hits("sessions-per-user")).isEqualTo(hitsBefore + 1);
			tab1.disconnect();
			tab2.disconnect();
		}
	}

	private double hits(String limit) {
		return this.meters.counter("courier.limits.hits", "limit", limit).count();
	}

}
