package io.courier.gateway.stomp;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

import io.courier.gateway.session.LocalSession;
import io.courier.gateway.session.LocalSessions;

/**
 * Keeps Spring's "one session of the user" sends ({@code @SendToUser(broadcast = false)},
 * or {@code convertAndSendToUser} with a {@code simpSessionId} header) for that session
 * alone, now that a user destination is one routing key per user
 * ({@link ExchangeUserDestinationResolver}).
 *
 * <p>
 * {@link #toBroker()}, on the broker channel, marks a message to {@code /user/{name}/...}
 * whose session id is a session of {@code name} on this node (the rule of Spring's
 * {@code DefaultUserDestinationResolver}) with the STOMP header {@code courier-session};
 * RabbitMQ hands the header back on every copy. {@link #toClient()}, on the client
 * outbound channel, drops the copies that reach the user's other sessions.
 */
final class UserSessionFilter {

	/** The session a user-destination message is meant for, carried through RabbitMQ. */
	static final String SESSION_HEADER = "courier-session";

	private final LocalSessions sessions;

	UserSessionFilter(LocalSessions sessions) {
		this.sessions = sessions;
	}

	ChannelInterceptor toBroker() {
		return new ChannelInterceptor() {

			@Override
			public Message<?> preSend(Message<?> message, MessageChannel channel) {
				return mark(message);
			}

		};
	}

	ChannelInterceptor toClient() {
		return new ChannelInterceptor() {

			@Override
			public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
				return isForAnotherSession(message) ? null : message;
			}

		};
	}

	Message<?> mark(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		String destination = SimpMessageHeaderAccessor.getDestination(headers);
		String sessionId = SimpMessageHeaderAccessor.getSessionId(headers);
		if (sessionId == null || destination == null
				|| SimpMessageHeaderAccessor.getMessageType(headers) != SimpMessageType.MESSAGE) {
			return message;
		}
		String user = ExchangeUserDestinationResolver.namedUser(destination);
		LocalSession session = (user != null) ? this.sessions.get(sessionId) : null;
		if (session == null || !session.user().equals(user)) {
			return message; // not a session of that user here: every session of the user,
							// as Spring does
		}
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(message);
		accessor.setNativeHeader(SESSION_HEADER, sessionId);
		return MessageBuilder.createMessage(message.getPayload(), accessor.getMessageHeaders());
	}

	static boolean isForAnotherSession(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		if (SimpMessageHeaderAccessor.getMessageType(headers) != SimpMessageType.MESSAGE) {
			return false;
		}
		@SuppressWarnings("unchecked")
		Map<String, List<String>> nativeHeaders = (Map<String, List<String>>) headers
			.get(NativeMessageHeaderAccessor.NATIVE_HEADERS);
		List<String> target = (nativeHeaders != null) ? nativeHeaders.get(SESSION_HEADER) : null;
		return target != null && !target.isEmpty()
				&& !target.get(0).equals(SimpMessageHeaderAccessor.getSessionId(headers));
	}

}
