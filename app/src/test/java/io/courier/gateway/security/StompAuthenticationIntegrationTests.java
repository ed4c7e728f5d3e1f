package io.courier.gateway.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.StompTestClient;
import io.courier.gateway.support.StompTestClient.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CONNECT authentication against the real relay: what a client sees for each kind of
 * token.
 */
class StompAuthenticationIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private SessionExpiry expiry;

	@Test
	void validTokenConnectsAndReceivesOnPublicTopic() throws Exception {
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
		BlockingQueue<String> news = alice.subscribe("/topic/public.news");
		awaitTopicDelivery("public.news", "hello", news);
		alice.disconnect();
	}

	@Test
	void connectWithoutTokenIsRejected() throws Exception {
		assertRejected(null, "missing token");
	}

	@Test
	void connectWithMalformedTokenIsRejected() throws Exception {
		assertRejected("not-a-jwt", "malformed token");
	}

	@Test
	void connectWithExpiredTokenIsRejected() throws Exception {
		assertRejected(this.idp.expiredToken("alice"), "token expired");
	}

	@Test
	void connectWithBadlySignedTokenIsRejected() throws Exception {
		assertRejected(this.idp.badlySignedToken("alice"), "invalid token signature");
	}

	@Test
	void connectWithTokenFromAnotherIssuerIsRejected() throws Exception {
		assertRejected(this.idp.tokenFromIssuer("alice", "https://evil.example"), "wrong token issuer");
	}

	@Test
	void sockJsConnectWithoutTokenIsRejected() throws Exception {
		Connection connection = StompTestClient.open(sockJsUrl(), null);
		assertThat(connection.awaitError()).isEqualTo("missing token");
		assertThat(connection.awaitClosed()).isTrue();
	}

	@Test
	void sessionIsClosedWhenItsTokenExpires() throws Exception {
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.tokenExpiringIn("alice", Duration.ofSeconds(3)));
		assertThat(alice.session().isConnected()).isTrue();
		String error = alice.awaitError();
		assertThat(error).isEqualTo("token expired while connected");
		assertThat(alice.awaitClosed()).isTrue();
	}

	@Test
	void expiryTimersEndWithTheirSessions() throws Exception {
		int before = this.expiry.scheduled();
		Connection alice = StompTestClient.connect(wsUrl(), this.idp.token("alice"));
		Connection bob = StompTestClient.connect(wsUrl(), this.idp.token("bob"));
		assertThat(this.expiry.scheduled()).isEqualTo(before + 2);

		alice.disconnect();
		bob.disconnect();

		await().atMost(10, TimeUnit.SECONDS).until(() -> this.expiry.scheduled() == before);
	}

	@Test
	void devTokenEndpointIsAbsentOutsideDevMode() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(httpUrl("/dev/tokens?user=eve")))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(404);
	}

	private void assertRejected(String token, String expectedMessage) throws Exception {
		Connection connection = StompTestClient.open(wsUrl(), token);
		assertThat(connection.awaitError()).isEqualTo(expectedMessage);
		assertThat(connection.awaitClosed()).isTrue();
	}

}
