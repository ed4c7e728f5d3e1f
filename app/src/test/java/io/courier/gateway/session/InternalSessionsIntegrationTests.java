package io.courier.gateway.session;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import io.courier.gateway.support.GatewayIntegrationTest;
import io.courier.gateway.support.RawStompSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's internal sessions seen from a client's side, over real sockets: a forged
 * {@value InternalSessions#HEADER} header gives an ordinary session; a session admitted
 * with the process's credential may only subscribe to
 * {@value InternalSessions#TOPIC_PREFIX} topics and is not listed; once the warm-up is
 * over, the same credential gives an ordinary session. (The warm-up itself is off in the
 * test suite; the test opens the admission as the warm-up does, with the node's own
 * decoder.)
 */
class InternalSessionsIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	private InternalSessions internal;

	@Autowired
	private LocalSessions sessions;

	@Autowired
	private JwtDecoder decoder;

	@AfterEach
	void closeAdmission() {
		this.internal.close();
	}

	@Test
	void aForgedCredentialGivesAnOrdinarySession() throws Exception {
		this.internal.open(this.decoder);
		String user = "forger-" + UUID.randomUUID().toString().substring(0, 8);
		try (RawStompSocket socket = connect(user, InternalSessions.HEADER + ": forged")) {
			assertThat(listed(user)).as("an ordinary session is listed").isTrue();
			socket.sendFrame("SUBSCRIBE", "id:0", "destination:/topic/courier.internal.anything", "receipt:r");
			String answer = socket.readFrame();
			assertThat(answer).as("courier.internal topics follow the rule table for clients").startsWith("ERROR");
		}
	}

	@Test
	void anInternalSessionSubscribesToInternalTopicsOnlyAndIsNotListed() throws Exception {
		String credential = this.internal.open(this.decoder);
		String user = "warmup-" + UUID.randomUUID().toString().substring(0, 8);
		try (RawStompSocket socket = connect(user, InternalSessions.HEADER + ": " + credential)) {
			assertThat(listed(user)).isFalse();
			socket.sendFrame("SUBSCRIBE", "id:0", "destination:/topic/courier.internal.test", "receipt:r");
			assertThat(socket.readFrame()).startsWith("RECEIPT");
			socket.sendFrame("SEND", "destination:/topic/courier.internal.test");
			assertThat(RawStompSocket.header(socket.readFrame(), "message")).startsWith("forbidden destination");
		}
		try (RawStompSocket socket = connect(user, InternalSessions.HEADER + ": " + credential)) {
			socket.sendFrame("SUBSCRIBE", "id:0", "destination:/topic/public.news", "receipt:r");
			assertThat(RawStompSocket.header(socket.readFrame(), "message")).startsWith("forbidden destination");
		}
	}

	@Test
	void afterTheWarmUpTheCredentialGivesAnOrdinarySession() throws Exception {
		String credential = this.internal.open(this.decoder);
		this.internal.close();
		String user = "late-" + UUID.randomUUID().toString().substring(0, 8);
		try (RawStompSocket socket = connect(user, InternalSessions.HEADER + ": " + credential)) {
			assertThat(listed(user)).isTrue();
		}
	}

	private RawStompSocket connect(String user, String handshakeHeader) throws Exception {
		RawStompSocket socket = RawStompSocket.open(this.port, 64 * 1024, handshakeHeader);
		socket.sendFrame("CONNECT", "accept-version:1.2", "host:localhost", "heart-beat:0,0",
				"Authorization:Bearer " + this.idp.token(user));
		assertThat(socket.readFrame()).startsWith("CONNECTED");
		return socket;
	}

	private boolean listed(String user) {
		return this.sessions.sessions().stream().anyMatch((session) -> session.user().equals(user));
	}

}
