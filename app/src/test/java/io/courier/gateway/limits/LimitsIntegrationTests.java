package io.courier.gateway.limits;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Per-session and per-user limits on a real gateway: a session that floods, a user with too many tabs. */
@TestPropertySource(properties = { "courier.limits.frame-rate=1", "courier.limits.frame-burst=3",
		"courier.limits.sessions-per-user=2" })
class LimitsIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private InboundRateLimiter rateLimiter;


	@Test
	void floodGetsRateLimitErrorAfterEveryAcceptedFrameWasForwarded() throws Exception {
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
	}

	@Test
	void connectBeyondSessionsPerUserGetsErrorWhileTheFirstOnesStay() throws Exception {
		Connection tab1 = StompTestClient.connect(wsUrl(), this.idp.token("dave"));
		Connection tab2 = StompTestClient.connect(wsUrl(), this.idp.token("dave"));

		Connection tab3 = StompTestClient.open(wsUrl(), this.idp.token("dave"));

		assertThat(tab3.awaitError()).isEqualTo("too many sessions: limit 2 per user");
		assertThat(tab3.awaitClosed()).isTrue();
		assertThat(tab1.session().isConnected()).isTrue();
		assertThat(tab2.session().isConnected()).isTrue();
		tab1.disconnect();
		tab2.disconnect();
	}

}
