package io.courier.gateway.stomp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.micrometer.core.instrument.MeterRegistry;
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
 * Ends a client session from the server side: sends it an ERROR frame whose {@code message} header is a
 * {@link ClientError} text, after which Spring's STOMP handler closes the socket.
 *
 * <p>Inbound interceptors refuse frames through this rather than by throwing: with receive order preserved,
 * Spring's {@code OrderedMessageChannelDecorator} logs and swallows an exception thrown while sending an inbound
 * frame, so the client would never learn why nothing happened.
 */
@Component
public class SessionTerminator {

	private static final Log logger = LogFactory.getLog(SessionTerminator.class);

	private static final long PRUNE_AFTER_NANOS = 60_000_000_000L;

	private final MessageChannel clientOutboundChannel;

	private final MeterRegistry meters;

	private final LocalSessions sessions;

	SessionTerminator(@Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel,
			MeterRegistry meters, LocalSessions sessions) {
		this.clientOutboundChannel = clientOutboundChannel;
		this.meters = meters;
		this.sessions = sessions;
	}

	/**
	 * Sessions sent an ERROR, with when: frames already in flight after the first refusal add nothing. Entries go
	 * at disconnect; one added by a frame handled after its session's disconnect is pruned after a minute.
	 */
	private final Map<String, Long> terminating = new ConcurrentHashMap<>();

	/**
	 * Sends ERROR {@code rejection.getMessage()} to the session and closes it; once per session.
	 * @return true if this call ended the session, false if it was already being ended
	 */
	public boolean terminate(String sessionId, StompRejection rejection, @Nullable String receiptId) {
		long now = System.nanoTime();
		if (this.terminating.size() > 1_000) {
			this.terminating.values().removeIf((since) -> now - since > PRUNE_AFTER_NANOS);
		}
		if (this.terminating.putIfAbsent(sessionId, now) != null) {
			return false;
		}
		logger.info("Closing session " + sessionId + ": " + rejection.getMessage());
		String reason = rejection.error().name().toLowerCase();
		this.meters.counter("courier.frames.rejected", "reason", reason).increment();
		this.sessions.ending(sessionId, reason);
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

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		this.terminating.remove(event.getSessionId());
	}

}
