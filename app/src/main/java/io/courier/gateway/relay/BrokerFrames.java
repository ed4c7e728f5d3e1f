package io.courier.gateway.relay;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

import io.courier.gateway.session.ClientError;

/**
 * What the broker connections bring, on their event loops: MESSAGEs routed by their
 * subscription id (a node queue's or a topic's to the topic's fan-out, a dedicated one to
 * its session), RECEIPTs to what they confirm, ERRORs to the session that caused them; a
 * connection up (its node queue declared and consumed, then the relay available) or lost
 * (its sessions failed, its topics forgotten, the relay unavailable if nothing serves).
 */
final class BrokerFrames implements BrokerConnection.Listener {

	private static final Log logger = LogFactory.getLog(BrokerFrames.class);

	/** Spring's broker availability events, published by the relay. */
	interface Availability {

		void available();

		void unavailable();

	}

	private final ConnectionPool pool;

	private final SessionRegistry sessions;

	private final Subscriptions subscriptions;

	private final Receipts receipts;

	private final TopicFanOut fanOut;

	private final ClientReplies replies;

	private final Availability availability;

	BrokerFrames(ConnectionPool pool, SessionRegistry sessions, Subscriptions subscriptions, Receipts receipts,
			TopicFanOut fanOut, ClientReplies replies, Availability availability) {
		this.pool = pool;
		this.sessions = sessions;
		this.subscriptions = subscriptions;
		this.receipts = receipts;
		this.fanOut = fanOut;
		this.replies = replies;
		this.availability = availability;
	}

	/**
	 * RabbitMQ's ERROR when a queue a subscription consumes goes away (deleted, or its
	 * node lost); the connection stays open.
	 */
	static final String SUBSCRIPTION_CANCELLED = "Server cancelled subscription";

	@Override
	public void frame(BrokerConnection connection, Message<byte[]> frame, StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		if (command == StompCommand.MESSAGE) {
			message(connection, frame, accessor);
		}
		else if (command == StompCommand.RECEIPT) {
			this.receipts.confirmed(accessor.getReceiptId());
		}
		else if (command == StompCommand.ERROR) {
			Receipts.Pending refused = this.receipts.refused(accessor.getReceiptId());
			ClientSession culprit = (refused != null) ? refused.session() : null;
			if (culprit == null && connection.isDedicated()) {
				culprit = this.sessions.ownerOf(connection);
			}
			String text = accessor.getMessage();
			if (culprit != null) {
				this.sessions.fail(culprit, ClientError.BROKER_REFUSED.text((text != null) ? text : "(no message)"),
						(refused != null) ? refused.clientReceipt() : null);
			}
			// RabbitMQ closes the connection after most ERRORs: lost() ends the other
			// sessions on it. On a shared
			// connection that is a gap in SharedConnectionPolicy: the ERROR is logged by
			// the connection.
			else if (cancelsNodeQueue(connection, text, frame.getPayload())) {
				// Not followed by a close: the node queue (on a RabbitMQ node that was
				// lost) is gone, and the connection's topics with it until the connection
				// starts again and subscribes a node queue that serves.
				connection.restart("RabbitMQ cancelled the connection's node queue subscription");
			}
		}
	}

	/**
	 * Whether an ERROR tells that the broker cancelled the node queue subscription of a
	 * shared connection; a client's own subscription being cancelled is not the
	 * connection's business.
	 */
	private boolean cancelsNodeQueue(BrokerConnection connection, @org.jspecify.annotations.Nullable String message,
			byte[] body) {
		NodeQueues queues = this.pool.nodeQueues();
		if (connection.isDedicated() || queues == null || connection.index() >= queues.count() || message == null
				|| !message.startsWith(SUBSCRIPTION_CANCELLED)) {
			return false;
		}
		String detail = new String(body, java.nio.charset.StandardCharsets.UTF_8);
		return detail.contains("id='" + NodeQueues.subscriptionId(connection.index()) + "'");
	}

	/**
	 * Routed by subscription id; nothing for one cancelled while the message was on its
	 * way.
	 */
	private void message(BrokerConnection connection, Message<byte[]> frame, StompHeaderAccessor accessor) {
		Route route = this.subscriptions.route(accessor.getSubscriptionId());
		if (route instanceof NodeQueueRoute) {
			Topic topic = this.subscriptions.topic(accessor.getDestination());
			if (topic != null && topic.connection == connection) {
				this.fanOut.fanOut(topic, frame, accessor, connection);
			}
			// else: the last subscriber left while the message was on its way, as with a
			// topic subscription
		}
		else if (route instanceof Topic topic) {
			this.fanOut.fanOut(topic, frame, accessor, connection);
		}
		else if (route instanceof Dedicated dedicated) {
			dedicated.delivered(accessor.getFirstNativeHeader(StompHeaderAccessor.STOMP_ACK_HEADER));
			this.replies.message(dedicated.session, dedicated.subscriptionId, frame.getPayload(),
					Frames.nativeHeadersOf(accessor));
		}
	}

	@Override
	public void readComplete(BrokerConnection connection) {
		connection.held().writeAll();
	}

	@Override
	public void connected(BrokerConnection connection) {
		if (connection.isDedicated()) {
			return;
		}
		NodeQueues queues = this.pool.nodeQueues();
		int index = connection.index();
		if (queues == null || index >= queues.count()) {
			if (queues == null) {
				this.availability.available();
			}
			return;
		}
		queues.reset(index).whenComplete((done, ex) -> {
			if (ex != null) {
				logger.warn("Could not declare node queue " + queues.name(index) + ": " + ex.getMessage()
						+ "; its connection reconnects");
				connection.restart("node queue unavailable");
				return;
			}
			StompHeaderAccessor subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
			subscribe.setSubscriptionId(this.subscriptions.nodeQueueSubscribed(index));
			subscribe.setDestination("/amq/queue/" + queues.name(index));
			subscribe.setAck("auto");
			connection.send(Frames.empty(subscribe));
			this.availability.available(); // topics can be served from now on
		});
	}

	@Override
	public void lost(BrokerConnection connection, String reason) {
		this.sessions.failDependents(connection, reason);
		this.receipts.forget(connection);
		if (connection.isDedicated()) {
			return;
		}
		this.subscriptions.lost(connection);
		NodeQueues queues = this.pool.nodeQueues();
		if (queues != null) {
			queues.lost(connection.index()); // its bindings go with the reset when it is
												// back
		}
		if (!this.pool.isServing()) {
			this.availability.unavailable();
		}
	}

}
