package io.courier.gateway.limits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.stereotype.Controller;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-session and per-user limits on a real gateway: a session that floods, a user with
 * too many tabs. Each hit is announced once as {@code limits.hit} on
 * {@code courier.cluster} and counted in {@code courier.limits.hits}.
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

	@Autowired
	private FloodHandler floodHandler;

	@Test
	void floodGetsRateLimitErrorAfterEveryAcceptedFrameWasForwarded() throws Exception {
		double hitsBefore = hits("frame-rate");
		try (ClusterTap tap = ClusterTap.open(this.connectionFactory, "limits.hit")) {
			Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
			BlockingQueue<String> first = alice.subscribe("/topic/public.rate-a");
			BlockingQueue<String> second = alice.subscribe("/topic/public.rate-b");
			awaitTopicDelivery("public.rate-a", "a", first);
			awaitTopicDelivery("public.rate-b", "b", second);

			try {
				for (int i = 0; i < 5; i++) {
					alice.send("/app/flood", "flood " + i);
				}
			}
			catch (IllegalStateException | MessageDeliveryException closedByTheGateway) {
				// the frame over the limit ended the session before the loop did: the
				// client found the connection
				// closed ("Connection closed") or the socket gone under its write (broken
				// pipe)
			}

			assertThat(alice.awaitError()).isEqualTo("rate limit exceeded: 1.0 frames/s, burst 3");
			assertThat(alice.awaitClosed()).isTrue();
			await().atMost(10, TimeUnit.SECONDS).until(() -> this.rateLimiter.trackedSessions() == 0);

			JsonNode hit = tap.await("limits.hit", "user", "alice");
			assertThat(hit.get("limit").asString()).isEqualTo("frame-rate");
			assertThat(hit.get("nodeId").asString()).isEqualTo("test-node");
			assertThat(hit.get("detail").asString()).isEqualTo("rate limit exceeded: 1.0 frames/s, burst 3");
			assertThat(hit.get("sessionId").asString()).isNotEmpty();
			assertThat(hit.get("remoteAddress").asString()).isEqualTo("127.0.0.1");
			assertThat(hit.get("at").asString()).isNotEmpty();
			assertThat(hits("frame-rate")).isEqualTo(hitsBefore + 1);
			List<String> handled = new ArrayList<>();
			this.floodHandler.received.drainTo(handled);
			assertThat(handled).as("the frames accepted before the one over the limit, all handled, in order")
				.isNotEmpty()
				.hasSizeLessThan(5)
				.isEqualTo(IntStream.range(0, handled.size()).mapToObj((i) -> "flood " + i).toList());
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

	/** An application handler at {@code /app/flood} that keeps what reached it. */
	@Controller
	static class FloodHandler {

		final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		@MessageMapping("/flood")
		void flood(byte[] body) {
			this.received.add(new String(body, StandardCharsets.UTF_8));
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class FloodHandlerConfiguration {

		@Bean
		FloodHandler floodHandler() {
			return new FloodHandler();
		}

	}

}
