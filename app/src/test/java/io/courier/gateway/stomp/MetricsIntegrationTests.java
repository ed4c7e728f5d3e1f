package io.courier.gateway.stomp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.RawStompSocket;
import io.courier.gateway.support.SseTestClient;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;
import io.courier.gateway.support.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prometheus metrics on the management port move as sessions connect, are refused, end,
 * and receive events; each counts one thing ({@code courier_frames_rejected_total}:
 * frames refused with an ERROR; {@code courier_session_disconnects_total}: why sessions
 * ended), and every series names its node.
 */
@TestPropertySource(properties = "courier.limits.send-buffer-size=64KB")
class MetricsIntegrationTests extends GatewayIntegrationTest {

	private static final String NODE = "node=\"test-node\"";

	private static final String DISCONNECTS = "courier_session_disconnects_total{" + NODE + ",";

	private static final String REJECTED = "courier_frames_rejected_total{" + NODE + ",";

	private static final String HISTORY = "courier_history_subscribers{" + NODE + ",";

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private RabbitTemplate rabbit;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void countersMoveWithSessionsRefusalsAndOrderEvents() throws Exception {
		String before = scrape();
		assertThat(before).contains("courier_relay_broker_available{" + NODE + "} 1.0");
		assertThat(before).contains("courier_relay_connections{" + NODE + ",state=\"up\"} 4.0")
			.contains("courier_relay_connections{" + NODE + ",state=\"down\"} 0.0");
		assertThat(before).contains("courier_limits_hits_total{limit=\"slow-consumer\"," + NODE + "}");
		double forwardedBefore = value(before, "courier_order_events_total{" + NODE + ",outcome=\"forwarded\"}");
		double consumedBefore = value(before, "courier_order_events_consumed_total{" + NODE + "}");
		double framesInBefore = value(before, "courier_frames_in_total{" + NODE + "}");
		double framesOutBefore = value(before, "courier_frames_out_total{" + NODE + "}");
		double rejectedBefore = value(before, REJECTED + "reason=\"forbidden_destination\"}");
		double refusedBefore = value(before, DISCONNECTS + "reason=\"forbidden_destination\"}");
		double clientBefore = value(before, DISCONNECTS + "reason=\"client\"}");

		String orderId = "metrics" + System.nanoTime();
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice", orderId));
		Connection mallory = StompTestClient.connect(wsUrl(), this.idp.token("mallory"));
		await().atMost(5, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(scrape()).contains("courier_sessions{" + NODE + "} 2.0"));

		mallory.subscribe("/topic/orders." + orderId);
		assertThat(mallory.awaitError()).startsWith("forbidden destination");
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			String metrics = scrape();
			assertThat(value(metrics, REJECTED + "reason=\"forbidden_destination\"}")).isEqualTo(rejectedBefore + 1);
			assertThat(metrics).contains("courier_sessions{" + NODE + "} 1.0");
			assertThat(value(metrics, DISCONNECTS + "reason=\"forbidden_destination\"}")).isEqualTo(refusedBefore + 1);
		});

		BlockingQueue<String> events = alice.subscribe("/topic/orders." + orderId);
		awaitTopicDelivery("orders." + orderId, "live", events);
		OrderEvents.publish(this.rabbit, orderId, "alice", "COUNTED");
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(
					() -> assertThat(value(scrape(), "courier_order_events_total{" + NODE + ",outcome=\"forwarded\"}"))
						.isGreaterThan(forwardedBefore));
		assertThat(events.poll(10, TimeUnit.SECONDS)).contains("COUNTED");
		alice.disconnect();
		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			String metrics = scrape();
			assertThat(value(metrics, DISCONNECTS + "reason=\"client\"}")).isEqualTo(clientBefore + 1);
			assertThat(value(metrics, "courier_order_events_consumed_total{" + NODE + "}"))
				.isGreaterThan(consumedBefore);
			// CONNECT x2, SUBSCRIBE x2 (one refused, not counted), DISCONNECT; CONNECTED
			// x2, ERROR, MESSAGE
			assertThat(value(metrics, "courier_frames_in_total{" + NODE + "}"))
				.isGreaterThanOrEqualTo(framesInBefore + 4);
			assertThat(value(metrics, "courier_frames_out_total{" + NODE + "}"))
				.isGreaterThanOrEqualTo(framesOutBefore + 4);
		});
	}

	/**
	 * Courier's meters and Boot's alike: the meters that once had no node tag are among
	 * those checked.
	 */
	@Test
	void everySeriesNamesTheNode() throws Exception {
		List<String> series = scrape().lines().filter((line) -> !line.startsWith("#") && !line.isBlank()).toList();
		assertThat(series).filteredOn((line) -> line.startsWith("courier_"))
			.extracting((line) -> line.substring(0, line.indexOf('{') + 1))
			.contains("courier_frames_rejected_total{", "courier_limits_hits_total{", "courier_sse_subscribers{",
					"courier_history_subscribers{", "courier_history_latest_keys{", "courier_sessions{",
					"courier_relay_topics{", "courier_slow_consumer_disconnects_total{");
		assertThat(series).allSatisfy((line) -> assertThat(line).contains(NODE));
	}

	/**
	 * Frames Spring's decoder refuses, before any interceptor sees them, are rejected
	 * frames like any other: an oversized one counts once (its later parts fail again),
	 * and so does one that is not STOMP.
	 */
	@Test
	void framesThatDoNotDecodeAreCountedAsRejectedByReason() throws Exception {
		String before = scrape();
		double tooLarge = value(before, REJECTED + "reason=\"frame_too_large\"}");
		double malformed = value(before, REJECTED + "reason=\"malformed_frame\"}");
		double endedTooLarge = value(before, DISCONNECTS + "reason=\"frame_too_large\"}");
		double endedMalformed = value(before, DISCONNECTS + "reason=\"malformed_frame\"}");

		// a raw socket: the frame is in the kernel's buffers before the node closes the
		// connection on it
		try (RawStompSocket oversized = RawStompSocket.connect(this.port, this.idp.token("oversized"))) {
			oversized.sendFrame("SEND", "destination:/app/echo", "padding:" + "x".repeat(80 * 1024));
			assertThat(RawStompSocket.header(oversized.readFrame(), "message")).startsWith("frame too large");
		}
		try (RawStompSocket sloppy = RawStompSocket.connect(this.port, this.idp.token("sloppy"))) {
			sloppy.sendText("FOO\n\n\0");
			assertThat(RawStompSocket.header(sloppy.readFrame(), "message")).startsWith("malformed frame");
			assertThat(sloppy.awaitServerClose(5_000)).isTrue();
		}

		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			String metrics = scrape();
			assertThat(value(metrics, REJECTED + "reason=\"frame_too_large\"}")).isEqualTo(tooLarge + 1);
			assertThat(value(metrics, REJECTED + "reason=\"malformed_frame\"}")).isEqualTo(malformed + 1);
			assertThat(value(metrics, DISCONNECTS + "reason=\"frame_too_large\"}")).isEqualTo(endedTooLarge + 1);
			assertThat(value(metrics, DISCONNECTS + "reason=\"malformed_frame\"}")).isEqualTo(endedMalformed + 1);
		});
	}

	/**
	 * An operator's disconnect and a token that expires end sessions, with their reason,
	 * and refuse no frame: {@code courier_frames_rejected_total} does not move and has no
	 * series for either reason.
	 */
	@Test
	void sessionsTheNodeEndsCountAsEndsNotAsRejectedFrames() throws Exception {
		String before = scrape();
		double rejected = sum(before, "courier_frames_rejected_total{");
		double byOperator = value(before, DISCONNECTS + "reason=\"disconnected_by_operator\"}");
		double expired = value(before, DISCONNECTS + "reason=\"session_expired\"}");
		String user = "ended-" + System.nanoTime();

		Connection operated = StompTestClient.connect(wsUrl(), this.idp.token(user));
		Connection expiring = StompTestClient.connect(wsUrl(),
				this.idp.tokenExpiringIn(user + "-x", Duration.ofSeconds(2)));
		try (ClusterTap console = ClusterTap.open()) {
			console.request("control.disconnect", "{\"user\":\"" + user + "\",\"by\":\"metrics-test\"}");
			assertThat(operated.awaitError()).isEqualTo("disconnected by operator");
		}
		assertThat(expiring.awaitError()).isEqualTo("token expired while connected");

		await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
			String metrics = scrape();
			assertThat(value(metrics, DISCONNECTS + "reason=\"disconnected_by_operator\"}")).isEqualTo(byOperator + 1);
			assertThat(value(metrics, DISCONNECTS + "reason=\"session_expired\"}")).isEqualTo(expired + 1);
			assertThat(sum(metrics, "courier_frames_rejected_total{")).isEqualTo(rejected);
			assertThat(metrics).doesNotContain(REJECTED + "reason=\"disconnected_by_operator\"}")
				.doesNotContain(REJECTED + "reason=\"session_expired\"}");
		});
	}

	/**
	 * A client that stops reading (a 4 KiB receive buffer) is closed by the 64 KB send
	 * buffer: its session ends as {@code slow_consumer}, not as a socket that merely
	 * closed.
	 */
	@Test
	void aSlowConsumerEndsWithReasonSlowConsumer() throws Exception {
		String topic = "public.metrics-slow" + System.nanoTime();
		String before = scrape();
		double slow = value(before, DISCONNECTS + "reason=\"slow_consumer\"}");
		double closed = value(before, DISCONNECTS + "reason=\"closed\"}");
		try (RawStompSocket stalled = RawStompSocket.connect(this.port, 4096, this.idp.token("stalled"))) {
			stalled.sendFrame("SUBSCRIBE", "id:sub-0", "destination:/topic/" + topic, "receipt:subscribed");
			assertThat(stalled.readFrame()).startsWith("RECEIPT");
			// from here on it reads nothing; 6.4 MB fill its socket buffers (a few MB on
			// loopback), then the 64 KB
			String body = "x".repeat(4000);
			this.rabbit.invoke((operations) -> {
				for (int i = 0; i < 1600; i++) {
					operations.convertAndSend("amq.topic", topic, i + ":" + body);
				}
				return null;
			});
			await().atMost(20, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(value(scrape(), DISCONNECTS + "reason=\"slow_consumer\"}"))
					.isEqualTo(slow + 1));
			assertThat(stalled.awaitServerClose(10_000)).as("the stalled client's socket is closed").isTrue();
		}
		assertThat(value(scrape(), DISCONNECTS + "reason=\"closed\"}")).isEqualTo(closed);
	}

	/**
	 * An SSE stream, a held poll and a STOMP subscription served from history each count
	 * under their own transport; the deprecated {@code courier_sse_subscribers} is still
	 * their sum.
	 */
	@Test
	void clientsServedFromHistoryAreCountedByTransport() throws Exception {
		String topic = "public.metrics-history" + System.nanoTime();
		String token = this.idp.token("historian");
		String before = scrape();
		double sse = value(before, HISTORY + "transport=\"sse\"}");
		double poll = value(before, HISTORY + "transport=\"poll\"}");
		double stomp = value(before, HISTORY + "transport=\"stomp\"}");
		double deprecated = value(before, "courier_sse_subscribers{" + NODE + "}");

		try (SseTestClient stream = SseTestClient.open(SseTestClient.url(httpUrl(""), "/topic/" + topic), token, null);
				RawStompSocket stompClient = RawStompSocket.connect(this.port, token)) {
			stream.awaitSubscribed();
			stompClient.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/" + topic, "courier-last:1", "receipt:r");
			assertThat(stompClient.readFrame()).startsWith("RECEIPT");
			String cursor = poll(token, "wait=0&dest=/topic/" + topic).join()
				.headers()
				.firstValue("Courier-Cursor")
				.orElseThrow();
			CompletableFuture<HttpResponse<String>> held = poll(token,
					"wait=20&since=" + cursor + "&dest=/topic/" + topic);

			await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
				String metrics = scrape();
				assertThat(value(metrics, HISTORY + "transport=\"sse\"}")).isEqualTo(sse + 1);
				assertThat(value(metrics, HISTORY + "transport=\"poll\"}")).isEqualTo(poll + 1);
				assertThat(value(metrics, HISTORY + "transport=\"stomp\"}")).isEqualTo(stomp + 1);
				assertThat(value(metrics, "courier_sse_subscribers{" + NODE + "}")).isEqualTo(deprecated + 3);
			});
			Topics.publish(this.rabbit, topic, "answers the poll");
			assertThat(held.get(10, TimeUnit.SECONDS).body()).contains("answers the poll");
		}
	}

	@Test
	void actuatorIsOnTheManagementPortOnly() throws Exception {
		assertThat(get("http://127.0.0.1:" + this.managementPort + "/actuator/health").statusCode()).isEqualTo(200);
		assertThat(get(httpUrl("/actuator/prometheus")).statusCode()).isIn(401, 404);
	}

	private CompletableFuture<HttpResponse<String>> poll(String token, String query) {
		return this.http.sendAsync(HttpRequest.newBuilder(URI.create(httpUrl("/poll?" + query)))
			.header("Authorization", "Bearer " + token)
			.build(), HttpResponse.BodyHandlers.ofString());
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

	/**
	 * The sum of every series whose line starts with {@code prefix}, e.g. a counter of
	 * all its tags.
	 */
	private static double sum(String metrics, String prefix) {
		return metrics.lines()
			.filter((line) -> line.startsWith(prefix))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}
