package io.courier.admin.nodes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console shows when what answers on the management API's address is not the
 * management API's JSON (a proxy's HTML page with status 200, a body cut short): the
 * broker as not readable, with the reason, instead of an exception out of the refresh.
 * The answers come from a loopback HTTP server standing in for such a proxy; the real
 * API's answers are read in {@code ConsoleBrowserIntegrationTests}.
 */
class BrokerMonitorTests {

	private HttpServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop(0);
		}
	}

	@Test
	void anHtmlPageInsteadOfTheQueuesIsShownAsNotReadable() throws IOException {
		BrokerHealth health = monitor(Map.of("/api/overview", "{}", "/api/nodes", "[]", "/api/queues/courier",
				"<html><body>502 Bad Gateway</body></html>"))
			.read();

		assertThat(health.error()).startsWith("management API at http://127.0.0.1:" + port() + "/ not readable: ");
		assertThat(health.nodes()).isEmpty();
	}

	@Test
	void aBodyCutShortIsShownAsNotReadable() throws IOException {
		BrokerHealth health = monitor(
				Map.of("/api/overview", "{}", "/api/nodes", "[{\"name\":\"rabbit@h", "/api/queues/courier", "[]"))
			.read();

		assertThat(health.error()).startsWith("management API at http://127.0.0.1:" + port() + "/ not readable: ");
	}

	private BrokerMonitor monitor(Map<String, String> answers) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> {
			byte[] body = answers.getOrDefault(exchange.getRequestURI().getPath(), "").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
		BrokerProperties properties = new BrokerProperties(URI.create("http://127.0.0.1:" + port() + "/"),
				"courier-admin", "courier-admin", "courier", Duration.ofSeconds(5));
		return new BrokerMonitor(RestClient.builder(), properties, null, JsonMapper.builder().build());
	}

	private int port() {
		return this.server.getAddress().getPort();
	}

}
