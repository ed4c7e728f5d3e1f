package io.courier.gateway.replay;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

import io.courier.gateway.history.HistorySubscriptions;
import io.courier.gateway.relay.BrokerHeaders;
import io.courier.gateway.session.ClientError;
import io.courier.gateway.session.ClientRejection;
import io.courier.gateway.session.SessionTerminator;

/**
 * This node's STOMP subscriptions served from history, by session and subscription id:
 * each writes MESSAGE frames to its session through the client outbound channel, in id
 * order, and ends with the session, its UNSUBSCRIBE or its DISCONNECT.
 */
@Component
class StompHistorySubscriptions {

	private static final Log logger = LogFactory.getLog(StompHistorySubscriptions.class);

	static final String ID_HEADER = "courier-id";

	static final String RETAINED_HEADER = "courier-retained";

	static final String RESET_HEADER = "courier-reset";

	private final HistorySubscriptions history;

	private final MessageChannel clientOutboundChannel;

	private final SessionTerminator terminator;

	private final Map<String, Map<String, HistorySubscriptions.Subscription>> bySession = new ConcurrentHashMap<>();

	StompHistorySubscriptions(HistorySubscriptions history,
			@Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel,
			SessionTerminator terminator) {
		this.history = history;
		this.clientOutboundChannel = clientOutboundChannel;
		this.terminator = terminator;
	}

	/**
	 * Starts subscription {@code id} of the session on {@code destination}: after history
	 * id {@code since} when it is given, else latest message first. The receipt, if asked
	 * for, goes out once it is in place, before the first message, with
	 * {@code courier-id}: the position the subscription starts after.
	 * @throws ClientRejection if history does not keep the destination or the id is taken
	 */
	void subscribe(String sessionId, String user, String id, String destination, @Nullable Long since,
			@Nullable String receipt) {
		String refusal = this.history.refusal(destination, user);
		if (refusal != null) {
			throw new ClientRejection(ClientError.INVALID_FRAME,
					((since != null) ? BrokerHeaders.SINCE : BrokerHeaders.LAST) + " on " + destination
							+ ", which is not kept in history (" + refusal + ")");
		}
		Map<String, HistorySubscriptions.Subscription> subscriptions = this.bySession.computeIfAbsent(sessionId,
				(key) -> new ConcurrentHashMap<>());
		if (subscriptions.containsKey(id)) {
			throw new ClientRejection(ClientError.INVALID_FRAME, "duplicated subscription id " + id);
		}
		Sink sink = new Sink(sessionId, id, destination);
		java.util.function.LongConsumer registered = (position) -> {
			if (receipt != null) {
				StompHeaderAccessor answer = StompHeaderAccessor.create(StompCommand.RECEIPT);
				answer.setSessionId(sessionId);
				answer.setReceiptId(receipt);
				// where the subscription starts: a client that gets no message before it
				// drops resumes from here
				answer.setNativeHeader(ID_HEADER, Long.toString(position));
				this.clientOutboundChannel.send(MessageBuilder.createMessage(new byte[0], answer.getMessageHeaders()));
			}
		};
		subscriptions.put(id,
				(since != null) ? this.history.resume(sessionId, user, destination, since, sink, registered)
						: this.history.latestThenLive(sessionId, user, destination, sink, registered));
	}

	/** Ends the session with an ERROR saying why its frame was refused. */
	void refuse(String sessionId, ClientRejection rejection, @Nullable String receipt) {
		this.terminator.terminate(sessionId, rejection, receipt);
	}

	/**
	 * Whether the session's subscription {@code id} was served from history (it is
	 * cancelled).
	 */
	boolean unsubscribe(String sessionId, String id) {
		Map<String, HistorySubscriptions.Subscription> subscriptions = this.bySession.get(sessionId);
		HistorySubscriptions.Subscription subscription = (subscriptions != null) ? subscriptions.remove(id) : null;
		if (subscription == null) {
			return false;
		}
		subscription.cancel();
		return true;
	}

	void endSession(String sessionId) {
		Map<String, HistorySubscriptions.Subscription> subscriptions = this.bySession.remove(sessionId);
		if (subscriptions != null) {
			subscriptions.values().forEach(HistorySubscriptions.Subscription::cancel);
		}
	}

	int size() {
		return this.bySession.values().stream().mapToInt(Map::size).sum();
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		endSession(event.getSessionId());
	}

	private final class Sink implements HistorySubscriptions.Sink {

		private final String sessionId;

		private final String subscriptionId;

		private final String destination;

		Sink(String sessionId, String subscriptionId, String destination) {
			this.sessionId = sessionId;
			this.subscriptionId = subscriptionId;
			this.destination = destination;
		}

		private String destination() {
			return this.destination;
		}

		@Override
		public void event(long id, String destination, String data, @Nullable String contentType, boolean retained) {
			StompHeaderAccessor out = StompHeaderAccessor.create(StompCommand.MESSAGE);
			out.setSessionId(this.sessionId);
			out.setSubscriptionId(this.subscriptionId);
			out.setDestination(destination);
			out.setMessageId("courier-" + id);
			if (contentType != null) {
				out.setNativeHeader(StompHeaderAccessor.STOMP_CONTENT_TYPE_HEADER, contentType);
			}
			out.setNativeHeader(ID_HEADER, Long.toString(id));
			if (retained) {
				out.setNativeHeader(RETAINED_HEADER, "true");
			}
			StompHistorySubscriptions.this.clientOutboundChannel
				.send(MessageBuilder.createMessage(data.getBytes(StandardCharsets.UTF_8), out.getMessageHeaders()));
		}

		/**
		 * A MESSAGE with {@code courier-reset: <reason>} and
		 * {@code courier-id: <cursor>}: what came after the id the client resumed from is
		 * not kept; refetch the state, then carry on from here.
		 */
		@Override
		public void reset(long cursor, String reason) {
			StompHeaderAccessor out = StompHeaderAccessor.create(StompCommand.MESSAGE);
			out.setSessionId(this.sessionId);
			out.setSubscriptionId(this.subscriptionId);
			out.setDestination(this.destination());
			out.setMessageId("courier-reset-" + cursor);
			out.setNativeHeader(StompHeaderAccessor.STOMP_CONTENT_TYPE_HEADER, "text/plain");
			out.setNativeHeader(ID_HEADER, Long.toString(cursor));
			out.setNativeHeader(RESET_HEADER, reason);
			StompHistorySubscriptions.this.clientOutboundChannel
				.send(MessageBuilder.createMessage(reason.getBytes(StandardCharsets.UTF_8), out.getMessageHeaders()));
		}

		@Override
		public void end(HistorySubscriptions.Ending ending, String reason) {
			logger.info("History subscription " + this.subscriptionId + " of session " + this.sessionId + " ended: "
					+ reason);
			ClientRejection rejection = (ending == HistorySubscriptions.Ending.BEHIND)
					? new ClientRejection(ClientError.SLOW_CONSUMER, reason + "; reconnect")
					: new ClientRejection(ClientError.BROKER_UNAVAILABLE, reason);
			StompHistorySubscriptions.this.terminator.terminate(this.sessionId, rejection, null);
		}

	}

}
