package io.courier.gateway.transport;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;
import org.springframework.web.socket.sockjs.transport.SockJsSession;

/**
 * Writes one message to a session's socket and reports when the socket took it
 * ({@code null}) or why it did not. {@link #forSession} picks the container's
 * asynchronous send when the session is a plain WebSocket (no thread waits for a client
 * that does not read; Jetty, Courier's server, calls back on the writing thread when the
 * socket took the frame), and a shared executor otherwise (SockJS transports only offer
 * blocking writes). {@link OutboundBuffers} enforces the send time limit on both; the
 * container's send timeout is a backstop.
 */
@FunctionalInterface
interface OutboundWriter {

	/**
	 * Tomcat's user property for the blocking sends it still makes (the close frame), in
	 * milliseconds.
	 */
	String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** How much longer than the send time limit the container's own send timeout is. */
	long CONTAINER_TIMEOUT_MARGIN_MILLIS = 1_000;

	/**
	 * Writes the message; {@code more} says another message of the session's queue
	 * follows at once, so a writer may keep this one to write both in one go. A message
	 * given with {@code more == false} is written at once, with everything kept before
	 * it.
	 */
	void write(WebSocketSession session, WebSocketMessage<?> message, boolean more, Consumer<@Nullable Throwable> done);

	static OutboundWriter forSession(WebSocketSession session, long sendTimeLimitMillis, Executor executor) {
		WebSocketSession raw = WebSocketSessionDecorator.unwrap(session);
		// A SockJS session over WebSocket has a native session too, but writing to it
		// would skip SockJS framing.
		Session jakarta = (raw instanceof NativeWebSocketSession nativeSession && !(raw instanceof SockJsSession))
				? nativeSession.getNativeSession(Session.class) : null;
		if (jakarta == null) {
			return blocking(executor);
		}
		RemoteEndpoint.Async remote = jakarta.getAsyncRemote();
		// A backstop only: OutboundBuffers acts at the send time limit and counts the
		// slow consumer; a container that
		// timed out first would close the session itself (Jetty does) before the limit is
		// recorded.
		remote.setSendTimeout(sendTimeLimitMillis + CONTAINER_TIMEOUT_MARGIN_MILLIS);
		jakarta.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, Math.min(sendTimeLimitMillis, 2000L));
		OutboundWriter async = (target, message, more, done) -> {
			if (message instanceof TextMessage text) {
				remote.sendText(text.getPayload(), (result) -> done.accept(result.getException()));
			}
			else if (message instanceof BinaryMessage binary) {
				remote.sendBinary(binary.getPayload(), (result) -> done.accept(result.getException()));
			}
			else {
				sendNow(target, message, done);
			}
		};
		OutboundWriter jetty = JettyCoreWriter.forSession(jakarta, async, remote.getSendTimeout());
		return (jetty != null) ? jetty : async;
	}

	private static OutboundWriter blocking(Executor executor) {
		return (target, message, more, done) -> executor.execute(() -> sendNow(target, message, done));
	}

	private static void sendNow(WebSocketSession target, WebSocketMessage<?> message,
			Consumer<@Nullable Throwable> done) {
		try {
			target.sendMessage(message);
		}
		catch (IOException | RuntimeException ex) {
			done.accept(ex);
			return;
		}
		done.accept(null);
	}

}
