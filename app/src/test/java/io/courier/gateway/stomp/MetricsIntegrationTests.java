package io.courier.gateway.stomp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prometheus metrics on the management port move as sessions connect, are refused, and
 * receive events.
 */
class MetricsIntegrationTests extends GatewayIntegrationTest {

	private static final String DISCONNECTS = "courier_session_disconnects_total{node=\"test-node\",";

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private RabbitTemplate rabbit;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void countersMoveWithSessionsRefusalsAndOrderEvents() throws Exception {
		String before = scrape();
		assertThat(before).contains("courier_relay_broker_available{node=\"test-node\"} 1.0");
		assertThat(before).contains("courier_relay_connections{node=\"test-node\",state=\"up\"} 4.0")
			.contains("courier_relay_connections{node=\"test-node\",state=\"down\"} 0.0");
		assertThat(before).contains("courier_limits_hits_total{limit=\"slow-consumer\"}");
		double forwardedBefore = value(before, "courier_order_events_total{outcome=\"forwarded\"}");
		double consumedBefore = value(before, "courier_order_events_consumed_total");
		double framesInBefore = value(before, "courier_frames_in_total{node=\"test-node\"}");
		double framesOutBefore = value(before, "courier_frames_out_total{node=\"test-node\"}");
		double refusedBefore = value(before, DISCONNECTS + "reason=\"forbidden_destination\"}");
		double clientBefore = value(before, DISCONNECTS + "reason=\"client\"}");

		String orderId = "metrics" + System.nanoTime();
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		Connection mallory = StompTestClient.connect(wsUrl(), this.idp.token("mallory"));
		await().atMost(5, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(scrape()).contains("courier_sessions{node=\"test-node\"} 2.0"));

		mallory.subscribe("/topic/orders." + orderId);
		assertThat(mallory.awaitError()).startsWith("forbidden destination");
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			String metrics = scrape();
			assertThat(metrics).contains("courier_frames_rejected_total{reason=\"forbidden_destination\"} 1.0");
			assertThat(metrics).contains("courier_sessions{node=\"test-node\"} 1.0");
			assertThat(value(metrics, DISCONNECTS + "reason=\"forbidden_destination\"}")).isEqualTo(refusedBefore + 1);
		});

		BlockingQueue<String> events = alice.subscribe("/topic/orders." + orderId);
		awaitTopicDelivery("orders." + orderId, "live", events);
		OrderEvents.publish(this.rabbit, orderId, "alice", "COUNTED");
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(value(scrape(), "courier_order_events_total{outcome=\"forwarded\"}"))
				.isGreaterThan(forwardedBefore));
		assertThat(events.poll(10, TimeUnit.SECONDS)).contains("COUNTED");
		alice.disconnect();
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			String metrics = scrape();
			assertThat(value(metrics, DISCONNECTS + "reason=\"client\"}")).isEqualTo(clientBefore + 1);
			assertThat(value(metrics, "courier_order_events_consumed_total")).isGreaterThan(consumedBefore);
			// CONNECT x2, SUBSCRIBE x2 (one refused, not counted), DISCONNECT; CONNECTED
			// x2, ERROR, MESSAGE
			assertThat(value(metrics, "courier_frames_in_total{node=\"test-node\"}"))
				.isGreaterThanOrEqualTo(framesInBefore + 4);
			assertThat(value(metrics, "courier_frames_out_total{node=\"test-node\"}"))
				.isGreaterThanOrEqualTo(framesOutBefore + 4);
		});
	}

	@Test
	void actuatorIsOnTheManagementPortOnly() throws Exception {
		assertThat(get("http://127.0.0.1:" + this.managementPort + "/actuator/health").statusCode()).isEqualTo(200);
		assertThat(get(httpUrl("/actuator/prometheus")).statusCode()).isIn(401, 404);
	}

	private String scrape() throws Exception {
		HttpResponse<String> response = get("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static double value(String metrics, String series) {
		return metrics.lines()
			.filter((line) -> line.startsWith(series + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1)))
			.findFirst()
			.orElse(0);
	}

}
