package io.courier.gateway.replay;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;

import io.courier.gateway.relay.BrokerHeaders;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.LogText;

/**
 * Takes the SUBSCRIBE frames that ask for {@code courier-last} or {@code courier-since}
 * off the client inbound channel (after security and limits accepted them) and serves
 * them from history; UNSUBSCRIBE and DISCONNECT end them and go on to the relay, which
 * answers their receipts.
 */
final class HistorySubscribeInterceptor implements ChannelInterceptor {

	private final StompHistorySubscriptions subscriptions;

	HistorySubscribeInterceptor(StompHistorySubscriptions subscriptions) {
		this.subscriptions = subscriptions;
	}

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() == null || accessor.getSessionId() == null) {
			return message;
		}
		String sessionId = accessor.getSessionId();
		switch (accessor.getCommand()) {
			case SUBSCRIBE -> {
				String since = accessor.getFirstNativeHeader(BrokerHeaders.SINCE);
				String last = accessor.getFirstNativeHeader(BrokerHeaders.LAST);
				if (since == null && last == null) {
					return message;
				}
				try {
					subscribe(sessionId, accessor, since, last);
				}
				catch (ClientRejection ex) {
					this.subscriptions.refuse(sessionId, ex, accessor.getReceipt());
				}
				return null;
			}
			case UNSUBSCRIBE -> {
				String id = accessor.getSubscriptionId();
				if (id != null) {
					this.subscriptions.unsubscribe(sessionId, id);
				}
				return message;
			}
			case DISCONNECT -> {
				this.subscriptions.endSession(sessionId);
				return message;
			}
			default -> {
				return message;
			}
		}
	}

	private void subscribe(String sessionId, StompHeaderAccessor accessor, @Nullable String since,
			@Nullable String last) {
		Long resumeAfter = (since != null) ? id(since) : null;
		if (resumeAfter == null && !"1".equals(last) && !"true".equals(last)) {
			throw new ClientRejection(ClientError.INVALID_FRAME, BrokerHeaders.LAST + " must be 1, not " + last);
		}
		String id = accessor.getSubscriptionId();
		String destination = accessor.getDestination();
		Principal user = accessor.getUser();
		if (id == null || destination == null || user == null) {
			throw new ClientRejection(ClientError.INVALID_FRAME, "SUBSCRIBE needs an id and a destination");
		}
		this.subscriptions.subscribe(sessionId, user.getName(), id, destination, resumeAfter, accessor.getReceipt());
	}

	/**
	 * A history id, as SSE's {@code Last-Event-ID}: an integer, at least -1 (-1: from the
	 * first kept).
	 */
	static long id(String value) {
		try {
			long id = Long.parseLong(value.trim());
			if (id >= -1) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new ClientRejection(ClientError.INVALID_FRAME,
				BrokerHeaders.SINCE + " must be a history id (an integer >= -1), not " + LogText.escape(value));
	}

}
