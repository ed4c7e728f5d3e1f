package io.courier.gateway.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Ends a client session from the server side: sends it an ERROR frame whose
 * {@code message} header is a {@link ClientError} text, after which Spring's STOMP
 * handler closes the socket. The ERROR goes through the client outbound channel, where
 * {@link LocalSessions} counts it as a rejected frame if its reason
 * {@linkplain ClientError#refusesFrame refuses one}.
 *
 * <p>
 * Inbound interceptors refuse frames through this rather than by throwing: with receive
 * order preserved, Spring's {@code OrderedMessageChannelDecorator} logs and swallows an
 * exception thrown while sending an inbound frame, so the client would never learn why
 * nothing happened.
 */
@Component
public class SessionTerminator {

	private static final Log logger = LogFactory.getLog(SessionTerminator.class);

	private static final long FORGET_AFTER_NANOS = 60_000_000_000L;

	private static final long SWEEP_EVERY_NANOS = 5_000_000_000L;

	private final MessageChannel clientOutboundChannel;

	private final LocalSessions sessions;

	SessionTerminator(@Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel,
			LocalSessions sessions) {
		this.clientOutboundChannel = clientOutboundChannel;
		this.sessions = sessions;
	}

	/**
	 * Sessions sent an ERROR, with when. A session's frames still queued behind the
	 * refused one are handled after it, some after its disconnect event, so an entry
	 * outlives the disconnect: it is forgotten a minute after the refusal (a sweep at
	 * most every few seconds, on a refusal or a disconnect).
	 */
	private final Map<String, Long> terminated = new ConcurrentHashMap<>();

	private final AtomicLong nextSweep = new AtomicLong(System.nanoTime());

	/**
	 * Sends ERROR {@code rejection.getMessage()} to the session and closes it; once per
	 * session.
	 * @return true if this call ended the session, false if it was already being ended
	 */
	public boolean terminate(String sessionId, ClientRejection rejection, @Nullable String receiptId) {
		long now = System.nanoTime();
		forgetOld(now);
		if (this.terminated.putIfAbsent(sessionId, now) != null) {
			return false;
		}
		logger.info("Closing session " + sessionId + ": " + LogText.escape(rejection.getMessage()));
		this.sessions.ending(sessionId, rejection.error().reason());
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setSessionId(sessionId);
		accessor.setMessage(rejection.getMessage());
		if (receiptId != null) {
			accessor.setReceiptId(receiptId);
		}
		accessor.setLeaveMutable(true);
		this.clientOutboundChannel.send(MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders()));
		return true;
	}

	/**
	 * Whether the session was sent an ERROR: its later frames, queued before the socket
	 * closed, are dropped ({@link RejectingChannelInterceptor}) rather than handled as if
	 * the session were still in good standing.
	 */
	public boolean isTerminated(String sessionId) {
		return this.terminated.containsKey(sessionId);
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		forgetOld(System.nanoTime());
	}

	private void forgetOld(long now) {
		long due = this.nextSweep.get();
		if (now - due >= 0 && this.nextSweep.compareAndSet(due, now + SWEEP_EVERY_NANOS)) {
			this.terminated.values().removeIf((since) -> now - since > FORGET_AFTER_NANOS);
		}
	}

}
