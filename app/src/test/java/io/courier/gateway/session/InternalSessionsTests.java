package io.courier.gateway.session;

import java.net.InetAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class InternalSessionsTests {

	private final JwtDecoder decoder = (token) -> {
		throw new UnsupportedOperationException();
	};

	@Test
	void admitsOnlyTheProcessCredentialFromThisMachineWhileOpen() throws Exception {
		InternalSessions sessions = new InternalSessions();
		InetAddress loopback = InetAddress.getLoopbackAddress();
		assertThat(sessions.admits("anything", loopback)).as("not open yet").isFalse();
		String credential = sessions.open(this.decoder);
		assertThat(sessions.admits(credential, loopback)).isTrue();
		assertThat(sessions.admits(credential, "127.0.0.1")).isTrue();
		assertThat(sessions.admits(credential + "x", loopback)).isFalse();
		assertThat(sessions.admits(null, loopback)).isFalse();
		assertThat(sessions.admits(credential, InetAddress.getByName("192.0.2.1"))).as("another host").isFalse();
		assertThat(new InternalSessions().open(this.decoder)).as("another process's credential")
			.isNotEqualTo(credential);
		sessions.close();
		assertThat(sessions.admits(credential, loopback)).as("closed").isFalse();
	}

	@Test
	void aMarkedSessionKeepsTheWarmUpDecoderAfterClose() {
		InternalSessions sessions = new InternalSessions();
		sessions.open(this.decoder);
		Map<String, Object> marked = Map.of(SessionAttributes.INTERNAL, Boolean.TRUE);
		assertThat(sessions.decoderFor(marked)).isSameAs(this.decoder);
		assertThat(sessions.decoderFor(Map.of())).isNull();
		assertThat(sessions.decoderFor(null)).isNull();
		sessions.close();
		assertThat(sessions.decoderFor(marked)).as("a CONNECT late on its way").isSameAs(this.decoder);
	}

}
