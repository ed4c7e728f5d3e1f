package io.courier.gateway.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.courier.gateway.support.OrderEvents;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code dev} profile as README's run command starts it: the gateway generates its
 * key pair, serves its own JWKS, mints demo tokens, and trusts them through the standard
 * resource-server properties.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("dev")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DevModeIntegrationTests {

	private static final int PORT = freePort();

	private static final Path KEY_DIR = tempDir();

	private final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	private RabbitTemplate rabbit;

	@DynamicPropertySource
	static void devPort(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("server.address", () -> "127.0.0.1");
		registry.add("courier.dev.key-dir", KEY_DIR::toString);
	}

	@Test
	void mintedDemoTokenFollowsAnOrder() throws Exception {
		JsonNode minted = post("/dev/tokens?user=demo&orders=1001,1002");
		assertThat(minted.get("user").asString()).isEqualTo("demo");
		assertThat(Files.exists(KEY_DIR.resolve("private.pem"))).isTrue();

		Connection demo = StompTestClient.connect("ws://127.0.0.1:" + PORT + "/ws", minted.get("token").asString());
		BlockingQueue<String> updates = demo.subscribe("/topic/orders.1001");
		await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
			OrderEvents.publish(this.rabbit, "1001", "demo", "DEV");
			assertThat(updates.poll(300, TimeUnit.MILLISECONDS)).contains("DEV");
		});
		demo.disconnect();
	}

	@Test
	void jwksServesOnlyThePublicKey() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/dev/jwks.json")).build(),
				HttpResponse.BodyHandlers.ofString());
		JsonNode key = JsonMapper.builder().build().readTree(response.body()).get("keys").get(0);
		assertThat(key.get("kty").asString()).isEqualTo("RSA");
		assertThat(key.has("n")).isTrue();
		assertThat(key.has("d")).as("private exponent must not be served").isFalse();
	}

	private JsonNode post(String path) throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(response.body());
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path tempDir() {
		try {
			return Files.createTempDirectory("courier-dev-keys");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
