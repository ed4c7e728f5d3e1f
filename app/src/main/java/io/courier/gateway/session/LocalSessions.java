package io.courier.gateway.session;

import java.security.Principal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * The sessions of this node as their frames pass: an interceptor on the client inbound
 * channel (after authentication, authorization and limits, so only accepted frames count)
 * and on the client outbound channel. A {@link LocalSession} is created by an accepted
 * CONNECT and removed at disconnect, never by a later frame (frames still queued when a
 * session closes are handled after its disconnect event). Counts every frame each way for
 * the node too, and the frames refused with an ERROR, by reason: those on the client
 * outbound channel (the {@link SessionTerminator}'s, the relay's) as they pass, those
 * Spring's STOMP handler writes itself (a frame that does not decode) when told through
 * {@link #rejected}. The node's own {@link InternalSessions internal sessions} are
 * followed but neither listed nor counted.
 */
@Component
public class LocalSessions {

	private final Map<String, LocalSession> sessions = new ConcurrentHashMap<>();

	private final AtomicLong framesIn = new AtomicLong();

	private final AtomicLong framesOut = new AtomicLong();

	private final Map<ClientError, AtomicLong> framesRejected = new EnumMap<>(ClientError.class);

	private final ChannelInterceptor inbound = new Tracker(true);

	private final ChannelInterceptor outbound = new Tracker(false);

	public LocalSessions() {
		for (ClientError error : ClientError.values()) {
			if (error.refusesFrame()) {
				this.framesRejected.put(error, new AtomicLong());
			}
		}
	}

	/**
	 * For the client inbound channel, after every interceptor that may refuse a frame.
	 */
	public ChannelInterceptor inbound() {
		return this.inbound;
	}

	/** For the client outbound channel. */
	public ChannelInterceptor outbound() {
		return this.outbound;
	}

	/** Sessions that got CONNECTED (internal ones left out). */
	public List<LocalSession> sessions() {
		return this.sessions.values().stream().filter((s) -> s.connectedAt() != null && !s.internal()).toList();
	}

	public @Nullable LocalSession get(String sessionId) {
		return this.sessions.get(sessionId);
	}

	/** Sessions connected now (internal ones left out). */
	public int connectedCount() {
		return (int) this.sessions.values().stream().filter((s) -> s.connectedAt() != null && !s.internal()).count();
	}

	/**
	 * Whether {@code sessionId} is one of the node's internal sessions
	 * ({@link InternalSessions}).
	 */
	public boolean isInternal(String sessionId) {
		LocalSession session = this.sessions.get(sessionId);
		return session != null && session.internal();
	}

	/**
	 * STOMP frames received from clients (accepted ones) since start, heart-beats not
	 * counted.
	 */
	public long framesIn() {
		return this.framesIn.get();
	}

	/** STOMP frames sent to clients since start, heart-beats not counted. */
	public long framesOut() {
		return this.framesOut.get();
	}

	/**
	 * Client frames refused with an ERROR of this reason since start; 0 for a reason that
	 * ends a session without refusing a frame ({@link ClientError#refusesFrame}).
	 */
	public long framesRejected(ClientError reason) {
		AtomicLong count = this.framesRejected.get(reason);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Counts an ERROR sent to a client other than through the client outbound channel, if
	 * its reason refuses a frame.
	 */
	public void rejected(ClientError reason) {
		AtomicLong count = this.framesRejected.get(reason);
		if (count != null) {
			count.incrementAndGet();
		}
	}

	/**
	 * Records why a session is about to end, unless a reason was recorded already:
	 * {@link ClientError#reason}, or {@code client} (DISCONNECT frame), or {@code error}
	 * (an ERROR that is no {@link ClientError}: RabbitMQ's or Spring's relay's own).
	 */
	public void ending(String sessionId, String reason) {
		LocalSession session = this.sessions.get(sessionId);
		if (session != null) {
			session.ending(reason);
		}
	}

	/**
	 * Why a session ended: what was recorded, else {@code closed} (socket closed without
	 * DISCONNECT).
	 */
	public String endReason(String sessionId) {
		LocalSession session = this.sessions.get(sessionId);
		String reason = (session != null) ? session.endReason() : null;
		return (reason != null) ? reason : "closed";
	}

	private void received(String sessionId, StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		Map<String, Object> attributes = accessor.getSessionAttributes();
		if (command == StompCommand.CONNECT || command == StompCommand.STOMP) {
			Principal user = accessor.getUser();
			this.sessions.put(sessionId,
					new LocalSession(sessionId, (user != null) ? user.getName() : "",
							SessionAttributes.get(attributes, SessionAttributes.REMOTE_ADDRESS),
							SessionAttributes.get(attributes, SessionAttributes.USER_AGENT),
							SessionAttributes.get(attributes, SessionAttributes.TRANSPORT), accessor.getHeartbeat(),
							InternalSessions.isInternal(attributes)));
		}
		LocalSession session = this.sessions.get(sessionId);
		// an internal session's last frames may come after it was forgotten (the
		// DISCONNECT that closed it)
		if (command != null && !internal(session, attributes)) {
			this.framesIn.incrementAndGet();
		}
		if (session == null) {
			return;
		}
		session.received(command != null);
		if (command == StompCommand.SUBSCRIBE && accessor.getSubscriptionId() != null
				&& accessor.getDestination() != null) {
			session.subscribed(accessor.getSubscriptionId(), accessor.getDestination());
		}
		else if (command == StompCommand.UNSUBSCRIBE && accessor.getSubscriptionId() != null) {
			session.unsubscribed(accessor.getSubscriptionId());
		}
		else if (command == StompCommand.DISCONNECT) {
			session.ending("client");
		}
	}

	/**
	 * Counts a MESSAGE the relay wrote to the session without the client outbound
	 * channel.
	 */
	public void sentMessage(String sessionId) {
		LocalSession session = this.sessions.get(sessionId);
		if (session == null) {
			this.framesOut.incrementAndGet();
			return;
		}
		session.sent();
		// no branch on internal: the warm-up's sessions, all internal, compile this
		// (inlined in the fan-out) for clients' sessions too; theirs count 0
		this.framesOut.addAndGet(session.counted());
	}

	private void sent(String sessionId, StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		if (command == null) {
			return;
		}
		LocalSession session = this.sessions.get(sessionId);
		if (internal(session, accessor.getSessionAttributes())) {
			return;
		}
		this.framesOut.incrementAndGet();
		ClientError error = null;
		if (command == StompCommand.ERROR) {
			String message = accessor.getMessage();
			error = (message != null) ? ClientError.of(message) : null;
			if (error != null) {
				rejected(error);
			}
		}
		if (session == null) {
			return;
		}
		session.sent();
		if (command == StompCommand.CONNECTED) {
			session.connected(accessor.getHeartbeat());
		}
		else if (command == StompCommand.ERROR) {
			session.ending((error != null) ? error.reason() : "error");
		}
	}

	private static boolean internal(@Nullable LocalSession session, @Nullable Map<String, Object> attributes) {
		return (session != null) ? session.internal() : InternalSessions.isInternal(attributes);
	}

	/** After every other disconnect listener: some ask why the session ended. */
	@EventListener
	@Order(Ordered.LOWEST_PRECEDENCE)
	void onDisconnect(SessionDisconnectEvent event) {
		this.sessions.remove(event.getSessionId());
	}

	private final class Tracker implements ChannelInterceptor {

		private final boolean inbound;

		Tracker(boolean inbound) {
			this.inbound = inbound;
		}

		@Override
		public Message<?> preSend(Message<?> message, MessageChannel channel) {
			StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
			String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
			if (!this.inbound && accessor == null && sessionId != null && SimpMessageType.CONNECT_ACK
				.equals(SimpMessageHeaderAccessor.getMessageType(message.getHeaders()))) {
				// The multiplexed relay answers CONNECT itself; Spring's STOMP handler
				// makes it a CONNECTED frame.
				long[] heartbeat = (long[]) message.getHeaders().get(SimpMessageHeaderAccessor.HEART_BEAT_HEADER);
				StompHeaderAccessor connected = StompHeaderAccessor.create(StompCommand.CONNECTED);
				connected.setHeartbeat((heartbeat != null) ? heartbeat[0] : 0, (heartbeat != null) ? heartbeat[1] : 0);
				sent(sessionId, connected);
				return message;
			}
			if (accessor != null && sessionId != null) {
				if (this.inbound) {
					received(sessionId, accessor);
				}
				else {
					sent(sessionId, accessor);
				}
			}
			return message;
		}

	}

}
