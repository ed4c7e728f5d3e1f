package io.courier.gateway.sse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.history.HistoryConsumer;
import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.SseTestClient;
import io.courier.gateway.support.SseTestClient.Event;
import io.courier.gateway.support.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SSE and long polling on one gateway node against the real RabbitMQ, read by real HTTP
 * clients: the JDK client parsing {@code text/event-stream}, and a bare socket for a
 * reader that stops reading.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "courier.sse.client-buffer=256", "courier.sse.keep-alive=1s",
		"courier.sse.poll-presence-grace=1s", "courier.limits.sessions-per-user=3",
		"server.jetty.accesslog.enabled=true",
		"logging.level.org.springframework.security.web.FilterChainProxy=DEBUG" })
class SseIntegrationTests extends GatewayIntegrationTest {

	private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static Path accessLogs;

	@Autowired
	private RabbitTemplate rabbit;

	@DynamicPropertySource
	static void accessLogDirectory(DynamicPropertyRegistry registry) throws IOException {
		accessLogs = Files.createTempDirectory("courier-sse-access");
		registry.add("server.jetty.accesslog.filename", () -> accessLogs.resolve("access.log").toString());
	}

	@Test
	void eventsArriveWithIdsOnTheOrderTopicAndTheUserQueue() throws Exception {
		String orderId = unique("o");
		String user = unique("alice");
		try (SseTestClient sse = SseTestClient.open(sseUrl("/topic/orders." + orderId, "/user/queue/order-updates"),
				this.idp.token(user, orderId), null)) {
			assertThat(sse.status()).isEqualTo(200);
			assertThat(sse.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
			assertThat(sse.headers().firstValue("Cache-Control")).contains("no-cache");
			assertThat(sse.headers().firstValue("X-Accel-Buffering")).contains("no");
			Event subscribed = sse.awaitSubscribed();
			assertThat(subscribed.data()).contains("/topic/orders." + orderId).contains("\"node\":\"test-node\"");
			assertThat(sse.retry()).isEqualTo("3000");

			OrderEvents.publish(this.rabbit, orderId, user, "PAID");

			Event first = sse.next();
			Event second = sse.next();
			assertThat(List.of(first.event(), second.event())).containsExactlyInAnyOrder("/topic/orders." + orderId,
					"/user/queue/order-updates");
			assertThat(json.readTree(first.data()).get("status").asString()).isEqualTo("PAID");
			assertThat(json.readTree(second.data()).get("orderId").asString()).isEqualTo(orderId);
			assertThat(id(first)).isGreaterThan(id(subscribed));
			assertThat(id(second)).isGreaterThan(id(first));
			await().atMost(5, TimeUnit.SECONDS).until(() -> sse.comments().contains(": keep-alive"));
		}
	}

	@Test
	void resumingWithLastEventIdGivesExactlyTheMissedEventsInOrderThenLiveOnes() throws Exception {
		String topic = unique("public.resume-");
		String token = this.idp.token(unique("reader"));
		String lastSeen;
		try (SseTestClient witness = SseTestClient.open(sseUrl("/topic/" + topic), token, null)) {
			witness.awaitSubscribed();
			try (SseTestClient first = SseTestClient.open(sseUrl("/topic/" + topic), token, null)) {
				first.awaitSubscribed();
				publish(topic, "e0");
				Event e0 = first.next();
				assertThat(e0.data()).isEqualTo("e0");
				lastSeen = e0.id();
			}
			// dropped; five events are published while the client is away
			publish(topic, "e1", "e2", "e3", "e4", "e5");
			assertThat(witness.next().data()).isEqualTo("e0");
			List<Event> missed = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				missed.add(witness.next());
			}

			try (SseTestClient resumed = SseTestClient.open(sseUrl("/topic/" + topic), token, lastSeen)) {
				assertThat(resumed.status()).isEqualTo(200);
				List<Event> replayed = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					replayed.add(resumed.next());
				}
				assertThat(replayed).containsExactlyElementsOf(missed);
				publish(topic, "e6");
				Event live = resumed.next();
				assertThat(live.data()).isEqualTo("e6");
				assertThat(id(live)).isGreaterThan(id(replayed.get(4)));
				assertThat(resumed.next(500, TimeUnit.MILLISECONDS)).isNull();
			}
		}
	}

	@Test
	void theNodesStreamConsumerKeepsDeliveringPastItsPrefetch() throws Exception {
		// the node acknowledges the history stream in batches: a batch never acknowledged
		// would stop the stream
		// after 500 (the prefetch), and a last partial batch must not hold events back
		String topic = unique("public.many-");
		int chunk = 100;
		int total = 1_200 + HistoryConsumer.ACK_EVERY / 2;
		try (SseTestClient sse = SseTestClient.open(sseUrl("/topic/" + topic), this.idp.token(unique("reader")),
				null)) {
			sse.awaitSubscribed();
			for (int sent = 0; sent < total; sent += chunk) {
				int size = Math.min(chunk, total - sent);
				String[] bodies = new String[size];
				for (int i = 0; i < size; i++) {
					bodies[i] = "m" + (sent + i);
				}
				publish(topic, bodies);
				for (int i = 0; i < size; i++) {
					assertThat(sse.next().data()).isEqualTo("m" + (sent + i));
				}
			}
		}
	}

	@Test
	void pollAnswers204WhenTheWaitIsOverAnd200WithEventsAndTheNextCursor() throws Exception {
		String topic = unique("public.poll-");
		String token = this.idp.token(unique("poller"));
		HttpResponse<String> now = poll(token, "dest=/topic/" + topic + "&wait=0");
		assertThat(now.statusCode()).isEqualTo(204);
		String cursor = now.headers().firstValue(PollController.CURSOR_HEADER).orElseThrow();

		long started = System.nanoTime();
		HttpResponse<String> timedOut = poll(token, "dest=/topic/" + topic + "&wait=1&since=" + cursor);
		assertThat(timedOut.statusCode()).isEqualTo(204);
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThanOrEqualTo(900);
		assertThat(timedOut.headers().firstValue(PollController.CURSOR_HEADER)).contains(cursor);

		// whether p1 comes before or after the poll is held, it is after the cursor: the
		// poll gets it
		CompletableFuture<HttpResponse<String>> held = pollAsync(token,
				"dest=/topic/" + topic + "&wait=20&since=" + cursor);
		publish(topic, "p1");
		HttpResponse<String> answer = held.get(15, TimeUnit.SECONDS);
		assertThat(answer.statusCode()).isEqualTo(200);
		JsonNode body = json.readTree(answer.body());
		JsonNode event = body.get("events").get(0);
		assertThat(event.get("event").asString()).isEqualTo("/topic/" + topic);
		assertThat(event.get("data").asString()).isEqualTo("p1");
		String next = body.get("cursor").asString();
		assertThat(next).isEqualTo(body.get("events").get(body.get("events").size() - 1).get("id").asString());

		publish(topic, "p2", "p3", "p4");
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			HttpResponse<String> shortPoll = poll(token, "dest=/topic/" + topic + "&wait=0&since=" + next);
			assertThat(shortPoll.statusCode()).isEqualTo(200);
			assertThat(json.readTree(shortPoll.body()).get("events").findValuesAsString("data")).containsExactly("p2",
					"p3", "p4");
		});
	}

	@Test
	void aForbiddenDestinationIs403WithTheReasonOnSseAndPoll() throws Exception {
		String token = this.idp.token(unique("stranger"), "1");
		try (SseTestClient sse = SseTestClient.open(sseUrl("/topic/orders.2"), token, null)) {
			assertThat(sse.status()).isEqualTo(403);
			assertThat(sse.errorBody())
				.contains("forbidden destination: /topic/orders.2 (2 is not in the token's orders claim)");
		}
		HttpResponse<String> poll = poll(token, "dest=/topic/orders.2&wait=0");
		assertThat(poll.statusCode()).isEqualTo(403);
		assertThat(poll.body())
			.contains("forbidden destination: /topic/orders.2 (2 is not in the token's orders claim)");
		assertThat(poll(token, "dest=/topic/orders.*&wait=0").body()).contains("wildcards and escapes are not allowed");
		assertThat(poll(token, "dest=/queue/secret&wait=0").body()).contains("no rule grants SUBSCRIBE");
		assertThat(poll(token, "wait=0").statusCode()).isEqualTo(400);
		assertThat(poll(token, "dest=/topic/public.x&wait=61").body()).contains("wait must be between 0 and 60");
	}

	@Test
	void theTokenQueryParameterWorksOnSseOnlyAndIsNeverLogged(CapturedOutput output) throws Exception {
		String token = this.idp.token(unique("browser"));
		String query = "access_token=" + token;
		try (SseTestClient sse = SseTestClient.open(sseUrl("/topic/public.news") + "&" + query, Map.of())) {
			assertThat(sse.status()).isEqualTo(200);
			sse.awaitSubscribed();
		}
		assertThat(get("/poll?dest=/topic/public.news&wait=0&" + query, Map.of()).statusCode()).isEqualTo(401);
		assertThat(get("/api/presence/someone?" + query, Map.of()).statusCode()).isEqualTo(401);
		assertThat(
				get("/sse?dest=/topic/public.news&" + query, Map.of("Authorization", "Bearer " + token)).statusCode())
			.as("header and query parameter at once")
			.isEqualTo(400);
		try (SseTestClient none = SseTestClient.open(sseUrl("/topic/public.news"), Map.of())) {
			assertThat(none.status()).isEqualTo(401);
		}

		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(accessLog()).contains("GET /sse ")
				.contains("GET /poll ")
				.contains("GET /api/presence/someone "));
		assertThat(accessLog()).doesNotContain(token);
		assertThat(output.getAll()).contains("Securing GET /sse").doesNotContain(token);
	}

	@Test
	void corsAllowsTheConfiguredOriginsOnly() throws Exception {
		String token = this.idp.token(unique("page"));
		HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(httpUrl("/sse")))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", "http://127.0.0.1:5173")
			.header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "authorization,last-event-id")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("http://127.0.0.1:5173");

		try (SseTestClient allowed = SseTestClient.open(sseUrl("/topic/public.news"),
				Map.of("Authorization", "Bearer " + token, "Origin", "http://localhost:3000"))) {
			assertThat(allowed.status()).isEqualTo(200);
			assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");
		}
		try (SseTestClient foreign = SseTestClient.open(sseUrl("/topic/public.news"),
				Map.of("Authorization", "Bearer " + token, "Origin", "https://evil.example"))) {
			assertThat(foreign.status()).isEqualTo(403);
		}
		assertThat(get("/poll?dest=/topic/public.news&wait=0",
				Map.of("Authorization", "Bearer " + token, "Origin", "https://evil.example"))
			.statusCode()).isEqualTo(403);
	}

	@Test
	void presenceCountsSseAndPollClientsWithTheirTransport() throws Exception {
		String streamer = unique("streamer");
		try (SseTestClient sse = SseTestClient.open(sseUrl("/topic/public.news"), this.idp.token(streamer), null)) {
			sse.awaitSubscribed();
			assertThat(presence(streamer)).contains("\"online\":true").contains("\"transports\":[\"sse\"]");
		}
		// the node notices the dropped stream at its next write (keep-alive every second
		// here)
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(presence(streamer)).contains("\"online\":false"));

		String poller = unique("poller");
		CompletableFuture<HttpResponse<String>> held = pollAsync(this.idp.token(poller),
				"dest=/topic/public.news&wait=2");
		await().atMost(5, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(presence(poller)).contains("\"online\":true")
				.contains("\"transports\":[\"poll\"]"));
		assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isIn(200, 204);
		// online for the grace (1 s here) after the poll ended, then offline
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(presence(poller)).contains("\"online\":false"));
	}

	@Test
	void sseStreamsCountTowardsTheSessionsPerUserLimit() throws Exception {
		String token = this.idp.token(unique("many-tabs"));
		List<SseTestClient> open = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				SseTestClient sse = SseTestClient.open(sseUrl("/topic/public.news"), token, null);
				open.add(sse);
				sse.awaitSubscribed();
			}
			try (SseTestClient fourth = SseTestClient.open(sseUrl("/topic/public.news"), token, null)) {
				assertThat(fourth.status()).isEqualTo(429);
				assertThat(fourth.errorBody()).contains("too many sessions: limit 3 per user");
			}
		}
		finally {
			open.forEach(SseTestClient::close);
		}
	}

	@Test
	void aSlowReaderIsCutOffWhileAFastOneKeepsUp() throws Exception {
		String topic = unique("public.flood-");
		String token = this.idp.token(unique("reader"));
		String payload = "x".repeat(4096);
		int count = 1200;
		try (SseTestClient fast = SseTestClient.open(sseUrl("/topic/" + topic), token, null);
				Socket slow = new Socket()) {
			fast.awaitSubscribed();
			slow.setReceiveBufferSize(4096);
			slow.connect(new java.net.InetSocketAddress("127.0.0.1", this.port));
			OutputStream request = slow.getOutputStream();
			request
				.write(("GET " + "/sse?dest=/topic/" + topic + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
						+ token + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			request.flush();
			InputStream slowIn = slow.getInputStream();
			String head = readUntil(slowIn, "event: subscribed");
			assertThat(head).startsWith("HTTP/1.1 200");

			List<String> bodies = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				bodies.add(i + ":" + payload);
			}
			// 4.8 MB at the pace of a reading client: the next 10 events (40 KB) once it
			// has read the last 10, however
			// busy the machine; the slow reader's socket buffers take a few MB, its queue
			// 256 events more
			long previous = -1;
			for (int i = 0; i < count; i += 10) {
				publish(topic, bodies.subList(i, i + 10).toArray(String[]::new));
				for (int j = i; j < i + 10; j++) {
					Event event = fast.next();
					assertThat(event.data()).isEqualTo(bodies.get(j));
					assertThat(id(event)).isGreaterThan(previous);
					previous = id(event);
				}
			}
			// now the slow reader reads what it was sent: some events, the final close
			// event, the end
			slow.setSoTimeout(20_000);
			String rest = new String(slowIn.readAllBytes(), StandardCharsets.UTF_8);
			assertThat(rest).contains("event: close").contains("slow consumer");
			assertThat(rest.split("event: /topic/", -1).length - 1).isLessThan(count);
			assertThat(fast.ended()).isFalse();
		}
	}

	private static String readUntil(InputStream in, String marker) throws IOException {
		StringBuilder read = new StringBuilder();
		while (read.indexOf(marker) < 0) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			read.append((char) b);
		}
		return read.toString();
	}

	private String accessLog() throws IOException {
		try (Stream<Path> files = Files.list(accessLogs)) {
			StringBuilder all = new StringBuilder();
			for (Path file : files.toList()) {
				all.append(Files.readString(file));
			}
			return all.toString();
		}
	}

	private void publish(String key, String... bodies) {
		Topics.publish(this.rabbit, key, bodies);
	}

	private String presence(String user) throws Exception {
		return get("/api/presence/" + user, Map.of("Authorization", "Bearer " + this.idp.token("observer"))).body();
	}

	private HttpResponse<String> poll(String token, String query) throws Exception {
		return get("/poll?" + query, Map.of("Authorization", "Bearer " + token));
	}

	private CompletableFuture<HttpResponse<String>> pollAsync(String token, String query) {
		return http.sendAsync(HttpRequest.newBuilder(URI.create(httpUrl("/poll?" + query)))
			.header("Authorization", "Bearer " + token)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(httpUrl(path)));
		headers.forEach(request::header);
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private String sseUrl(String... destinations) {
		return SseTestClient.url(httpUrl(""), destinations);
	}

	private static long id(Event event) {
		return Long.parseLong(String.valueOf(event.id()));
	}

	private static String unique(String prefix) {
		return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
	}

}
