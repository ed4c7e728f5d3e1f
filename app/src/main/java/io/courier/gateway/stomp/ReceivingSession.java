package io.courier.gateway.stomp;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Remembers, for the thread handling it, which WebSocket session a message came from.
 * Spring calls the STOMP error handler for a frame it could not decode (one over the size
 * limit) with no message and no session; this is how {@link StompErrorHandler} still
 * learns whose frame it was. Decoding happens on the calling thread, for raw WebSocket
 * and SockJS sessions alike.
 */
final class ReceivingSession extends WebSocketHandlerDecorator {

	private static final ThreadLocal<WebSocketSession> current = new ThreadLocal<>();

	ReceivingSession(WebSocketHandler delegate) {
		super(delegate);
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
		current.set(session);
		try {
			super.handleMessage(session, message);
		}
		finally {
			current.remove();
		}
	}

	/** The session whose message this thread is handling, if any. */
	static @Nullable WebSocketSession current() {
		return current.get();
	}

}
