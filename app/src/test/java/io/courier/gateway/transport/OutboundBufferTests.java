package io.courier.gateway.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * A session's outbound buffer on its own: what it hands its writer, in which order, and
 * when it says more messages follow (the writer may then keep a message to write it with
 * the next one).
 */
class OutboundBufferTests {

	private record Write(String payload, boolean more) {
	}

	private final List<Write> writes = new ArrayList<>();

	private final List<Consumer<@Nullable Throwable>> pending = new ArrayList<>();

	private final List<String> slowConsumers = new ArrayList<>();

	/**
	 * When true the socket takes each message at once (as Jetty does on loopback); else
	 * the test completes it.
	 */
	private boolean socketTakesAtOnce = true;

	private final OutboundBuffer buffer = new OutboundBuffer(mock(WebSocketSession.class),
			(session, message, more, done) -> {
				this.writes.add(new Write(((TextMessage) message).getPayload(), more));
				if (this.socketTakesAtOnce) {
					done.accept(null);
				}
				else {
					this.pending.add(done);
				}
			}, 100, new OutboundBuffer.Listener() {

				@Override
				public void slowConsumer(OutboundBuffer buffer, String reason) {
					OutboundBufferTests.this.slowConsumers.add(reason);
				}

				@Override
				public void writeFailed(OutboundBuffer buffer, Throwable failure) {
					throw new AssertionError(failure);
				}

			});

	@Test
	void heldMessagesWaitForTheReleaseAndLeaveAsOneRun() {
		assertThat(this.buffer.hold(new TextMessage("a"))).as("first hold: the caller releases").isTrue();
		assertThat(this.buffer.hold(new TextMessage("b"))).isFalse();
		assertThat(this.buffer.hold(new TextMessage("c"))).isFalse();
		assertThat(this.writes).isEmpty();

		this.buffer.release();
		assertThat(this.writes).containsExactly(new Write("a", true), new Write("b", true), new Write("c", false));
		this.buffer.release();
		assertThat(this.writes).hasSize(3);
		assertThat(this.buffer.queuedBytes()).isZero();

		assertThat(this.buffer.hold(new TextMessage("d"))).as("released: the next hold needs a release again").isTrue();
		this.buffer.release();
		assertThat(this.writes).endsWith(new Write("d", false));
	}

	@Test
	void aMessageSentWhileOthersAreHeldLeavesAfterThemInOrder() throws Exception {
		assertThat(this.buffer.hold(new TextMessage("a"))).isTrue();
		this.buffer.sendMessage(new TextMessage("b"));
		assertThat(this.writes).containsExactly(new Write("a", true), new Write("b", false));
		this.buffer.release();
		assertThat(this.writes).hasSize(2);
	}

	@Test
	void aHoldBehindAWriteInProgressIsWrittenByItWithoutARelease() throws Exception {
		this.socketTakesAtOnce = false;
		this.buffer.sendMessage(new TextMessage("a"));
		assertThat(this.buffer.hold(new TextMessage("b"))).as("the write going on writes it next").isFalse();
		this.buffer.sendMessage(new TextMessage("c"));
		assertThat(this.writes).containsExactly(new Write("a", false));

		this.pending.remove(0).accept(null);
		assertThat(this.writes).endsWith(new Write("b", true));
		this.pending.remove(0).accept(null);
		assertThat(this.writes).endsWith(new Write("c", false));
		this.pending.remove(0).accept(null);
		assertThat(this.writes).hasSize(3);
		assertThat(this.buffer.writeWaitNanos(System.nanoTime())).isZero();
	}

	@Test
	void aHoldPastTheSendBufferLimitIsASlowConsumer() {
		assertThat(this.buffer.hold(new TextMessage("x".repeat(60)))).isTrue();
		assertThat(this.buffer.hold(new TextMessage("y".repeat(60)))).isFalse();
		assertThat(this.slowConsumers).containsExactly("send buffer limit of 100 bytes exceeded");
		this.buffer.release();
		assertThat(this.writes).containsExactly(new Write("x".repeat(60), false));
	}

}
