package io.courier.gateway.sse;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RawStompSocket;
import io.courier.gateway.support.SseTestClient;
import io.courier.gateway.support.SseTestClient.Event;
import io.courier.gateway.support.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replay from the stream itself (no recent window on this node) and past its retention
 * (SSE, poll and STOMP's {@code courier-since}): a history stream of its own, kept to 256
 * KB in 64 KB segments, so that RabbitMQ trims it within the test.
 */
@TestPropertySource(properties = { "courier.sse.stream=courier.history.retention-test",
		"courier.sse.retention-max-bytes=256KB", "courier.sse.segment-size=64KB", "courier.sse.recent-events=0" })
class SseRetentionIntegrationTests extends GatewayIntegrationTest {

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private RabbitTemplate rabbit;

	@Test
	void missedEventsWithinRetentionAreReadFromTheStream() throws Exception {
		String topic = "public.kept-" + UUID.randomUUID().toString().substring(0, 8);
		String token = this.idp.token("kept");
		String since;
		try (SseTestClient sse = SseTestClient.open(sseUrl(topic), token, null)) {
			sse.awaitSubscribed();
			publish(topic, "k0", "k1", "k2", "k3");
			since = sse.next().id();
			for (int i = 1; i < 4; i++) {
				sse.next();
			}
		}
		try (SseTestClient resumed = SseTestClient.open(sseUrl(topic), token, since)) {
			assertThat(resumed.next().data()).isEqualTo("k1");
			assertThat(resumed.next().data()).isEqualTo("k2");
			assertThat(resumed.next().data()).isEqualTo("k3");
			assertThat(resumed.next(300, TimeUnit.MILLISECONDS)).isNull();
		}
	}

	@Test
	void resumingFromAnIdTheStreamNoLongerKeepsGetsReset() throws Exception {
		String topic = "public.retention-" + UUID.randomUUID().toString().substring(0, 8);
		String token = this.idp.token("forgetful");
		String first;
		try (SseTestClient sse = SseTestClient.open(sseUrl(topic), token, null)) {
			sse.awaitSubscribed();
			publish(topic, "old");
			first = sse.next().id();
		}
		// 640 KB more: more than twice the retention, so the segment holding "old" is
		// deleted. Nobody reads them
		// live (a reader that falls behind its buffer would be cut off, which is another
		// test).
		String filler = "f".repeat(1024);
		for (int batch = 0; batch < 64; batch++) {
			publish(topic, java.util.Collections.nCopies(10, filler).toArray(String[]::new));
		}

		String since = first;
		await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
			HttpResponse<String> poll = http.send(HttpRequest
				.newBuilder(URI.create(httpUrl("/poll?dest="
						+ URLEncoder.encode("/topic/" + topic, StandardCharsets.UTF_8) + "&wait=0&since=" + since)))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(poll.statusCode()).isEqualTo(200);
			JsonNode reset = json.readTree(poll.body()).get("events").get(0);
			assertThat(reset.get("event").asString()).isEqualTo("reset");
			assertThat(reset.get("data").asString()).contains("events after id " + since + " are no longer kept");
			// a reset starts at the node's head, which trails the stream while its
			// consumer
			// reads the filler: wait until it has read all of it
			assertThat(reset.get("id").asLong()).isGreaterThan(Long.parseLong(since) + 640);
		});

		try (SseTestClient resumed = SseTestClient.open(sseUrl(topic), token, first)) {
			Event event = resumed.next();
			assertThat(event.event()).isEqualTo("reset");
			assertThat(Long.parseLong(String.valueOf(event.id()))).isGreaterThan(Long.parseLong(first) + 640);
			await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
				publish(topic, "after-reset");
				Event live = resumed.next(500, TimeUnit.MILLISECONDS);
				assertThat(live).isNotNull();
				assertThat(live.data()).isEqualTo("after-reset");
				assertThat(Long.parseLong(String.valueOf(live.id()))).isGreaterThan(Long.parseLong(event.id()));
			});
		}

		// the same on STOMP: courier-since past retention is a courier-reset MESSAGE,
		// then live ones
		try (RawStompSocket stomp = RawStompSocket.connect(this.port, token)) {
			stomp.sendFrame("SUBSCRIBE", "id:s", "destination:/topic/" + topic, "courier-since:" + first);
			String reset = stomp.readFrame();
			assertThat(RawStompSocket.header(reset, "courier-reset"))
				.isEqualTo("events after id " + first + " are no longer kept");
			publish(topic, "after-stomp-reset");
			assertThat(RawStompSocket.body(stomp.readFrame())).isEqualTo("after-stomp-reset");
		}
	}

	private void publish(String key, String... bodies) {
		Topics.publish(this.rabbit, key, bodies);
	}

	private String sseUrl(String topic) {
		return SseTestClient.url(httpUrl(""), "/topic/" + topic);
	}

}
