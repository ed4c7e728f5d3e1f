package io.courier.bench.stomp;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StompDecoderTests {

	private final StompDecoder decoder = new StompDecoder();

	@Test
	void decodesMessageWithHeadersAndBody() {
		List<StompFrame> frames = this.decoder
			.decode("MESSAGE\nsubscription:sub-0\ndestination:/topic/public.bench\nmessage-id:7\n\n{\"seq\":1}\0");
		assertThat(frames).singleElement().satisfies((frame) -> {
			assertThat(frame.command()).isEqualTo("MESSAGE");
			assertThat(frame.header("subscription")).isEqualTo("sub-0");
			assertThat(frame.header("destination")).isEqualTo("/topic/public.bench");
			assertThat(frame.bodyText()).isEqualTo("{\"seq\":1}");
		});
	}

	@Test
	void decodesConnectedWithoutUnescapingHeaders() {
		List<StompFrame> frames = this.decoder
			.decode("CONNECTED\nversion:1.2\nheart-beat:10000,10000\nserver:a\\cb\n\n\0");
		assertThat(frames).singleElement().satisfies((frame) -> {
			assertThat(frame.header("heart-beat")).isEqualTo("10000,10000");
			assertThat(frame.header("server")).isEqualTo("a\\cb");
			assertThat(frame.body()).isEmpty();
		});
	}

	@Test
	void decodesErrorAndUnescapesItsHeaders() {
		List<StompFrame> frames = this.decoder.decode("ERROR\nmessage:destination denied\\c /topic/x\\nnext\n\nbody\0");
		assertThat(frames).singleElement()
			.satisfies((frame) -> assertThat(frame.header("message")).isEqualTo("destination denied: /topic/x\nnext"));
	}

	@Test
	void countsEndOfLinesBetweenFramesAsHeartbeatsAndReturnsNoFrame() {
		assertThat(this.decoder.decode("\n")).isEmpty();
		assertThat(this.decoder.decode("\r\n\n")).isEmpty();
		assertThat(this.decoder.heartbeats()).isEqualTo(3);
		List<StompFrame> frames = this.decoder.decode("\nRECEIPT\nreceipt-id:r-1\n\n\0\n");
		assertThat(frames).extracting(StompFrame::command).containsExactly("RECEIPT");
		assertThat(this.decoder.heartbeats()).isEqualTo(5);
	}

	@Test
	void readsBodyByContentLengthEvenWhenItContainsNul() {
		byte[] head = "MESSAGE\ncontent-length:5\n\n".getBytes(StandardCharsets.UTF_8);
		byte[] wire = new byte[head.length + 6];
		System.arraycopy(head, 0, wire, 0, head.length);
		System.arraycopy(new byte[] { 'a', 0, 'b', 'c', 'd', 0 }, 0, wire, head.length, 6);
		assertThat(this.decoder.decode(wire)).singleElement()
			.satisfies((frame) -> assertThat(frame.body()).containsExactly('a', 0, 'b', 'c', 'd'));
	}

	@Test
	void assemblesAFrameSplitAcrossWebSocketMessages() {
		assertThat(this.decoder.decode("MESSAGE\ndestinat")).isEmpty();
		assertThat(this.decoder.decode("ion:/topic/a\n\nhel")).isEmpty();
		assertThat(this.decoder.decode("lo\0")).singleElement().satisfies((frame) -> {
			assertThat(frame.header("destination")).isEqualTo("/topic/a");
			assertThat(frame.bodyText()).isEqualTo("hello");
		});
	}

	@Test
	void returnsSeveralFramesFromOneWebSocketMessage() {
		List<StompFrame> frames = this.decoder.decode("MESSAGE\nm:1\n\na\0\nMESSAGE\nm:2\n\nb\0MESSAGE\nm:3\n\n");
		assertThat(frames).extracting((f) -> f.header("m")).containsExactly("1", "2");
		assertThat(this.decoder.decode("c\0")).extracting(StompFrame::bodyText).containsExactly("c");
	}

	@Test
	void acceptsCarriageReturnLineEndings() {
		assertThat(this.decoder.decode("MESSAGE\r\ndestination:/topic/a\r\n\r\nx\0")).singleElement()
			.satisfies((frame) -> {
				assertThat(frame.header("destination")).isEqualTo("/topic/a");
				assertThat(frame.bodyText()).isEqualTo("x");
			});
	}

	@Test
	void keepsTheFirstOfRepeatedHeaders() {
		assertThat(this.decoder.decode("MESSAGE\nfoo:first\nfoo:second\n\n\0")).singleElement()
			.satisfies((frame) -> assertThat(frame.header("foo")).isEqualTo("first"));
	}

	@Test
	void rejectsUndefinedEscapes() {
		assertThatExceptionOfType(StompDecoder.StompFormatException.class)
			.isThrownBy(() -> this.decoder.decode("MESSAGE\nfoo:a\\tb\n\n\0"))
			.withMessageContaining("undefined escape");
	}

	@Test
	void rejectsAFrameLargerThanTheLimit() {
		StompDecoder small = new StompDecoder(16);
		assertThatExceptionOfType(StompDecoder.StompFormatException.class)
			.isThrownBy(() -> small.decode("MESSAGE\nheader:with-a-long-value\n\nno end yet"));
	}

}
