package io.courier.gateway.limits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import io.courier.gateway.support.ClusterTap;
import io.courier.gateway.support.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket handshakes per remote address: within the burst they succeed, beyond it they
 * get 429, each counted and announced as a {@code handshake-rate} limit hit.
 */
@TestPropertySource(properties = { "courier.limits.handshake-rate=0.2", "courier.limits.handshake-burst=3" })
class HandshakeLimitIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private ConnectionFactory connectionFactory;

	@Autowired
	private MeterRegistry meters;

	@Test
	void handshakesBeyondTheBurstGetTooManyRequestsAnnouncedAsLimitHits() throws Exception {
		double hitsBefore = this.meters.counter("courier.limits.hits", "limit", "handshake-rate").count();
		ClusterTap tap = ClusterTap.open(this.connectionFactory, "limits.hit");
		HttpClient http = HttpClient.newHttpClient();
		List<Integer> statuses = new ArrayList<>();
		List<WebSocket> open = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			try {
				open.add(http.newWebSocketBuilder().buildAsync(URI.create(wsUrl()), new WebSocket.Listener() {
				}).get(10, TimeUnit.SECONDS));
				statuses.add(101);
			}
			catch (java.util.concurrent.ExecutionException ex) {
				if (ex.getCause() instanceof WebSocketHandshakeException refused) {
					statuses.add(refused.getResponse().statusCode());
				}
				else {
					throw new CompletionException(ex);
				}
			}
		}
		open.forEach((socket) -> socket.abort());
		assertThat(statuses).containsExactly(101, 101, 101, 429, 429);

		JsonNode hit = tap.await("limits.hit", "limit", "handshake-rate");
		tap.close();
		assertThat(hit.get("remoteAddress").asString()).isEqualTo("127.0.0.1");
		assertThat(hit.get("detail").asString()).isEqualTo("too many handshakes from 127.0.0.1");
		assertThat(hit.get("user").isNull()).isTrue();
		assertThat(hit.get("sessionId").isNull()).isTrue();
		assertThat(this.meters.counter("courier.limits.hits", "limit", "handshake-rate").count())
			.isEqualTo(hitsBefore + 2);
	}

}
