package io.courier.bench.stomp;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StompEncoderTests {

	@Test
	void encodesConnectWithHeadersInOrderAndWithoutEscaping() {
		StompFrame connect = StompFrame.of("CONNECT", "accept-version", "1.2", "heart-beat", "10000,10000",
				"Authorization", "Bearer a.b:c");
		assertThat(StompEncoder.encodeToString(connect))
			.isEqualTo("CONNECT\naccept-version:1.2\nheart-beat:10000,10000\nAuthorization:Bearer a.b:c\n\n\0");
	}

	@Test
	void encodesSubscribeAndEscapesHeaderValues() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("id", "sub-0");
		headers.put("destination", "/topic/a:b\\c\nd");
		headers.put("receipt", "r-sub-0");
		assertThat(StompEncoder.encodeToString(new StompFrame("SUBSCRIBE", headers, StompFrame.NO_BODY)))
			.isEqualTo("SUBSCRIBE\nid:sub-0\ndestination:/topic/a\\cb\\\\c\\nd\nreceipt:r-sub-0\n\n\0");
	}

	@Test
	void encodesDisconnect() {
		assertThat(StompEncoder.encodeToString(StompFrame.of("DISCONNECT"))).isEqualTo("DISCONNECT\n\n\0");
	}

	@Test
	void addsContentLengthToABody() {
		assertThat(StompEncoder.encodeToString(StompFrame.of("MESSAGE", "subscription", "sub-0").withBody("héllo")))
			.isEqualTo("MESSAGE\nsubscription:sub-0\ncontent-length:6\n\nhéllo\0");
	}

	@Test
	void whatTheEncoderWritesTheDecoderReadsBack() {
		StompFrame sent = StompFrame.of("MESSAGE", "destination", "/topic/x:y", "message-id", "1\\2")
			.withBody("{\"seq\":3}");
		StompFrame read = new StompDecoder().decode(StompEncoder.encode(sent)).get(0);
		assertThat(read.command()).isEqualTo("MESSAGE");
		assertThat(read.header("destination")).isEqualTo("/topic/x:y");
		assertThat(read.header("message-id")).isEqualTo("1\\2");
		assertThat(read.bodyText()).isEqualTo("{\"seq\":3}");
	}

	@Test
	void clientHeartbeatIntervalIsTheLargerOfOfferAndServerWishOrNone() {
		assertThat(StompSession.heartbeatInterval(10_000, "10000,10000")).isEqualTo(10_000);
		assertThat(StompSession.heartbeatInterval(10_000, "0,20000")).isEqualTo(20_000);
		assertThat(StompSession.heartbeatInterval(10_000, "10000,0")).isZero();
		assertThat(StompSession.heartbeatInterval(10_000, null)).isZero();
		assertThat(StompSession.heartbeatInterval(0, "10000,10000")).isZero();
	}

}
