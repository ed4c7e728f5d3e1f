package io.courier.gateway.transport;

import java.nio.ByteBuffer;

import jakarta.websocket.Session;
import org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.TextMessage;

/**
 * On Jetty (Courier's server), writes a text message as one WebSocket frame straight to
 * the session's {@link CoreSession}, with the message's own bytes as the payload: the
 * Jakarta layer's {@code sendText(String)} would encode the string to UTF-8 again for
 * every session, so a topic MESSAGE the relay encoded once would be copied once per
 * subscriber. Each frame carries the same message timeout the Jakarta layer would give it
 * (the container's backstop behind the send time limit). A frame with more to follow goes
 * in Jetty's batch, written with the next frame that does not. Other messages, and other
 * containers, use the Jakarta writer.
 */
final class JettyCoreWriter {

	private static final boolean JETTY = ClassUtils.isPresent(
			"org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession",
			JettyCoreWriter.class.getClassLoader());

	private JettyCoreWriter() {
	}

	/**
	 * A writer for a Jetty session that hands non-text messages to {@code others}, or
	 * null if not on Jetty; {@code timeoutMillis} is each frame's message timeout.
	 */
	static @Nullable OutboundWriter forSession(Session session, OutboundWriter others, long timeoutMillis) {
		return JETTY ? Jetty.forSession(session, others, timeoutMillis) : null;
	}

	/** Loaded only when Jetty is on the class path. */
	private static final class Jetty {

		static @Nullable OutboundWriter forSession(Session session, OutboundWriter others, long timeoutMillis) {
			if (!(session instanceof JakartaWebSocketSession jetty)) {
				return null;
			}
			CoreSession core = jetty.getCoreSession();
			return (target, message, more, done) -> {
				if (message instanceof TextMessage text) {
					// asBytes() is the array the message was made from when it was made
					// from bytes (the relay's
					// frames, Spring's STOMP handler's): wrapped, not copied; the wrapper
					// is this write's own
					Frame frame = new Frame(OpCode.TEXT, ByteBuffer.wrap(text.asBytes()));
					Callback callback = Callback.from(() -> done.accept(null), done::accept);
					// more: Jetty copies the frame into its batch buffer (and completes
					// the callback), and writes the
					// batch with the first frame that is not batched: one socket write
					// for a run of small frames
					core.sendFrame(new OutgoingEntry.Builder(frame, callback).batch(more)
						.messageTimeout(timeoutMillis)
						.build());
				}
				else {
					others.write(target, message, more, done);
				}
			};
		}

	}

}
