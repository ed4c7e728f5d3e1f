package io.courier.gateway.session;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Base of the client inbound interceptors that may refuse a frame: {@link #inspect}
 * throws a {@link ClientRejection}, and this class drops the frame and ends the session
 * with an ERROR naming the reason (see {@link SessionTerminator} for why the exception is
 * not simply left to propagate). Frames of a session that was already sent an ERROR,
 * still queued behind the refused one, are dropped too, whatever their content (only the
 * DISCONNECT Spring makes when the socket closes goes on, for the broker side to clean
 * up).
 */
public abstract class RejectingChannelInterceptor implements ChannelInterceptor {

	private final SessionTerminator terminator;

	protected RejectingChannelInterceptor(SessionTerminator terminator) {
		this.terminator = terminator;
	}

	@Override
	public final @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		StompCommand command = (accessor != null) ? accessor.getCommand() : null;
		if (command == null) {
			return message;
		}
		String sessionId = accessor.getSessionId();
		if (sessionId != null && command != StompCommand.DISCONNECT && this.terminator.isTerminated(sessionId)) {
			return null;
		}
		try {
			inspect(accessor);
			return message;
		}
		catch (ClientRejection rejection) {
			if (sessionId == null) {
				throw rejection;
			}
			if (this.terminator.terminate(sessionId, rejection, accessor.getReceipt())) {
				rejected(accessor, rejection);
			}
			return null;
		}
	}

	/**
	 * Checks a client frame; throws {@link ClientRejection} to refuse it. May set the
	 * frame's user.
	 */
	protected abstract void inspect(StompHeaderAccessor accessor);

	/**
	 * Called once per session, when a rejection by this interceptor ended it (frames
	 * still in flight after that are dropped without another call).
	 */
	protected void rejected(StompHeaderAccessor accessor, ClientRejection rejection) {
	}

}
