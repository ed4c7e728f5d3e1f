package io.courier.gateway.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

import io.courier.gateway.session.ClientError;

/**
 * Client subscriptions and the broker subscriptions that serve them. A plain auto-ack
 * SUBSCRIBE to a shared destination joins the node's one {@link Topic} for it (a binding
 * of a node queue, or a broker subscription), made with the first local subscriber and
 * removed after the last; any other SUBSCRIBE is a {@link Dedicated} broker subscription
 * of the session's own. Keeps which {@link Route} each broker subscription id delivers
 * to.
 */
final class Subscriptions {

	private final Map<String, Topic> topics = new ConcurrentHashMap<>();

	/** Broker subscription id to what receives its MESSAGEs. */
	private final Map<String, Route> routes = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final ConnectionPool pool;

	private final Receipts receipts;

	private final ClientReplies replies;

	private final SessionRegistry sessions;

	Subscriptions(ConnectionPool pool, Receipts receipts, ClientReplies replies, SessionRegistry sessions) {
		this.pool = pool;
		this.receipts = receipts;
		this.replies = replies;
		this.sessions = sessions;
	}

	@Nullable Route route(@Nullable String brokerSubscriptionId) {
		return (brokerSubscriptionId != null) ? this.routes.get(brokerSubscriptionId) : null;
	}

	@Nullable Topic topic(@Nullable String destination) {
		return (destination != null) ? this.topics.get(destination) : null;
	}

	int topicCount() {
		return this.topics.size();
	}

	int routeCount() {
		return this.routes.size();
	}

	void subscribe(ClientSession session, Message<?> message, StompHeaderAccessor accessor) {
		String id = accessor.getSubscriptionId();
		String destination = accessor.getDestination();
		String receipt = accessor.getReceipt();
		String refused = SubscribeRules.refusal(session, id, destination, accessor.getAck());
		if (refused != null || id == null || destination == null) {
			this.sessions.fail(session, ClientError.INVALID_FRAME.text(refused), receipt);
			return;
		}
		if (SubscribeRules.isShareable(this.pool.sharing(), destination, accessor)) {
			joinTopic(session, id, destination, accessor, receipt);
			return;
		}
		String brokerId = "s" + this.ids.incrementAndGet();
		boolean isolate = Dedicated.clientAcks(accessor.getAck())
				|| !this.pool.sharing().allows(StompCommand.SUBSCRIBE, destination, accessor.toNativeHeaderMap());
		BrokerConnection connection = isolate ? this.pool.ownConnection(session) : session.connection;
		Dedicated dedicated = new Dedicated(session, id, brokerId, connection, accessor.getAck());
		this.routes.put(brokerId, dedicated);
		session.subscriptions.put(id, new ClientSession.Subscription(id, destination, null, dedicated));
		if (session.closed) { // ended meanwhile by a broker loss or heart-beat timeout
			release(session, session.subscriptions.remove(id), null);
			return;
		}
		StompHeaderAccessor out = StompHeaderAccessor.wrap(message);
		out.setSubscriptionId(brokerId);
		out.removeNativeHeader(BrokerHeaders.SUBSCRIPTION_TOKEN); // the gateway's proof
																	// of ownership, not
																	// RabbitMQ's
		this.receipts.map(out, session, connection);
		connection.send(Frames.empty(out));
	}

	private void joinTopic(ClientSession session, String id, String destination, StompHeaderAccessor accessor,
			@Nullable String receipt) {
		BrokerConnection connection = this.pool.pickForTopic(destination.hashCode());
		if (connection == null) {
			this.sessions.fail(session, ConnectionPool.NONE_UP, receipt);
			return;
		}
		Topic.Subscriber subscriber = new Topic.Subscriber(session, id);
		Topic topic = this.topics.compute(destination, (key, existing) -> {
			Topic joined = (existing != null) ? existing : openTopic(destination, connection);
			joined.add(subscriber);
			return joined;
		});
		if (topic.clientDestination == null) {
			topic.clientDestination = Frames.originalDestination(accessor);
		}
		session.subscriptions.put(id, new ClientSession.Subscription(id, destination, topic, null));
		if (session.closed) { // ended meanwhile by a broker loss or heart-beat timeout
			release(session, session.subscriptions.remove(id), null);
			return;
		}
		if (receipt != null) {
			topic.whenConfirmed(() -> this.replies.receipt(session, receipt));
		}
	}

	/**
	 * Called inside {@code topics.compute}: the broker subscription is made under the
	 * destination's lock.
	 */
	private Topic openTopic(String destination, BrokerConnection connection) {
		NodeQueues queues = this.pool.nodeQueues();
		TopicBinding binding = (queues != null) ? TopicBinding.of(destination) : null;
		if (queues != null && binding != null) {
			Topic topic = new Topic(destination, null, binding, connection);
			queues.bind(connection.index(), binding).whenComplete((done, ex) -> {
				if (ex == null) {
					topic.confirm();
					return;
				}
				for (Topic.Subscriber subscriber : topic.subscribers()) {
					this.sessions.fail(subscriber.session(), ClientError.BROKER_UNAVAILABLE
						.text("could not bind " + destination + " to the node queue: " + ex.getMessage()), null);
				}
			});
			return topic;
		}
		Topic topic = new Topic(destination, "t" + this.ids.incrementAndGet(), null, connection);
		this.routes.put(topic.brokerId, topic);
		StompHeaderAccessor subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
		subscribe.setSubscriptionId(topic.brokerId);
		subscribe.setDestination(destination);
		subscribe.setAck("auto");
		subscribe.setReceipt(this.receipts.forRelay(connection, topic::confirm));
		connection.send(Frames.empty(subscribe));
		return topic;
	}

	void unsubscribe(ClientSession session, StompHeaderAccessor accessor) {
		String id = accessor.getSubscriptionId();
		ClientSession.Subscription subscription = (id != null) ? session.subscriptions.remove(id) : null;
		String receipt = accessor.getReceipt();
		if (subscription != null) {
			release(session, subscription, receipt);
		}
		else if (receipt != null) {
			this.replies.receipt(session, receipt);
		}
	}

	/** Every subscription of an ending session. */
	void releaseAll(ClientSession session) {
		for (ClientSession.Subscription subscription : session.subscriptions.values()) {
			release(session, subscription, null);
		}
		session.subscriptions.clear();
	}

	/**
	 * Leaves a topic (cancelling the broker subscription after the last) or cancels a
	 * dedicated subscription.
	 */
	private void release(ClientSession session, ClientSession.@Nullable Subscription subscription,
			@Nullable String receipt) {
		if (subscription == null) {
			return;
		}
		Topic topic = subscription.topic();
		if (topic != null) {
			this.topics.computeIfPresent(subscription.destination(), (key, current) -> {
				if (current != topic || topic.remove(session, subscription.clientId()) > 0) {
					return current;
				}
				closeTopic(topic);
				return null;
			});
			if (receipt != null) {
				this.replies.receipt(session, receipt);
			}
			return;
		}
		Dedicated dedicated = subscription.dedicated();
		if (dedicated != null) {
			this.routes.remove(dedicated.brokerId);
			unsubscribeAtBroker(dedicated.connection, dedicated.brokerId, session, receipt);
		}
	}

	/** The last local subscriber left: the binding or broker subscription goes. */
	private void closeTopic(Topic topic) {
		NodeQueues queues = this.pool.nodeQueues();
		if (topic.binding != null && queues != null) {
			queues.unbind(topic.connection.index(), topic.binding);
		}
		else if (topic.brokerId != null) {
			this.routes.remove(topic.brokerId);
			unsubscribeAtBroker(topic.connection, topic.brokerId, null, null);
		}
	}

	private void unsubscribeAtBroker(BrokerConnection connection, String brokerId, @Nullable ClientSession session,
			@Nullable String clientReceipt) {
		StompHeaderAccessor unsubscribe = StompHeaderAccessor.create(StompCommand.UNSUBSCRIBE);
		unsubscribe.setSubscriptionId(brokerId);
		if (session != null && clientReceipt != null) {
			unsubscribe.setReceipt(clientReceipt);
			this.receipts.map(unsubscribe, session, connection);
		}
		connection.send(Frames.empty(unsubscribe));
	}

	/**
	 * The node queue consumed on pooled connection {@code index} delivers from now on.
	 */
	String nodeQueueSubscribed(int index) {
		String id = NodeQueues.subscriptionId(index);
		this.routes.put(id, new NodeQueueRoute(index));
		return id;
	}

	/**
	 * A pooled connection was lost: its topics and routes go (their sessions were
	 * failed).
	 */
	void lost(BrokerConnection connection) {
		this.topics.values().removeIf((topic) -> topic.connection == connection);
		this.routes.values().removeIf((route) -> route instanceof Topic topic && topic.connection == connection);
		if (this.pool.nodeQueues() != null) {
			this.routes.remove(NodeQueues.subscriptionId(connection.index()));
		}
	}

}
