package io.courier.gateway.warmup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A node warms up before it says it is ready: a first warm-up step that the test holds
 * keeps {@code /actuator/health/readiness} at 503 (liveness 200); once released, the real
 * steps run (loopback STOMP sessions that connect and leave, then others that receive
 * messages through the relay and RabbitMQ, more of them once the JIT caught up, RS256
 * verifications, cluster JSON, the JIT left to catch up) and readiness turns 200. Nobody
 * sees the warm-up: no presence announcement, no session counted, no limit hit.
 */
@TestPropertySource(properties = { "courier.warmup.enabled=true", "courier.warmup.sessions=3",
		"courier.warmup.connects=6", "courier.warmup.messages=200", "courier.warmup.top-ups=1",
		"courier.warmup.top-up=50", "courier.warmup.tokens=20", "courier.warmup.json=50" })
class WarmupIntegrationTests extends GatewayIntegrationTest {

	static final CountDownLatch held = new CountDownLatch(1);

	static final CountDownLatch release = new CountDownLatch(1);

	@TestConfiguration(proxyBeanMethods = false)
	static class HeldWarmup {

		/**
		 * Runs first and waits for the test (10 s at most, so a failing test cannot hang
		 * the node).
		 */
		@Bean
		@Order(0)
		WarmupStep heldByTheTest() {
			return new WarmupStep() {

				@Override
				public String name() {
					return "held";
				}

				@Override
				public Map<String, Object> run(Instant deadline) throws InterruptedException {
					held.countDown();
					return Map.of("released", release.await(10, TimeUnit.SECONDS));
				}

			};
		}

	}

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private Warmup warmup;

	@Autowired
	private MeterRegistry meters;

	@Test
	void readinessTurnsUpOnlyAfterTheWarmUpWhichRanThroughTheRelayUnseen() throws Exception {
		assertThat(held.await(10, TimeUnit.SECONDS)).as("the warm-up started").isTrue();
		try (ClusterTap presence = ClusterTap.open("presence.*")) {
			assertThat(status("readiness")).as("not ready while the warm-up runs").isEqualTo(503);
			assertThat(status("liveness")).as("alive all the same").isEqualTo(200);
			assertThat(this.warmup.result()).isNull();

			release.countDown();
			await().atMost(12, TimeUnit.SECONDS).until(() -> status("readiness") == 200);

			Warmup.Result result = this.warmup.result();
			assertThat(result).isNotNull();
			assertThat(result.outcome()).isEqualTo("completed");
			Map<String, Object> stomp = result.steps().get("stomp");
			assertThat(stomp).containsEntry("cycles", 6).containsEntry("sessions", 3).containsEntry("sent", 250L);
			assertThat(stomp.get("delivered")).as("every message fanned out to every session by the relay")
				.isEqualTo(750L);
			assertThat(stomp.get("topUpCompileMs")).as("one top-up round after the 200, once the JIT caught up")
				.asInstanceOf(InstanceOfAssertFactories.LIST)
				.hasSize(1);
			assertThat(result.steps().get("tokens")).containsEntry("verified", 20);
			assertThat(result.steps().get("json")).containsEntry("messages", 50);
			assertThat(this.meters.get("courier.warmup.duration").tag("outcome", "completed").timer().count())
				.isEqualTo(1);

			assertThat(this.meters.get("courier.session.connects").counter().count()).isZero();
			assertThat(this.meters.get("courier.frames.in").functionCounter().count()).isZero();
			assertThat(this.meters.get("courier.frames.out").functionCounter().count()).isZero();
			assertThat(this.meters.get("courier.limits.hits").counters())
				.allSatisfy((hits) -> assertThat(hits.count()).isZero());
			assertThatExceptionOfType(AssertionError.class).as("no presence announcement of a warm-up user")
				.isThrownBy(() -> presence.await((message) -> message.body().toString().contains("courier-warmup"), 1));
		}
	}

	private int status(String group) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/" + group))
				.build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
