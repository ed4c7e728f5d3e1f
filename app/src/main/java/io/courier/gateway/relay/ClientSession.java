package io.courier.gateway.relay;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A client session as the relay sees it: the shared broker connection its plain sends and
 * user-destination subscriptions use (so the broker sees those frames in order on one
 * connection), its own connection for anything RabbitMQ could refuse, its subscriptions
 * and transactions, and the heart-beats negotiated with it.
 */
final class ClientSession {

	final String id;

	final @Nullable Principal user;

	final BrokerConnection connection;

	/**
	 * Negotiated: how often the node must send to the client, and how often the client
	 * must send (ms; 0 off).
	 */
	final long sendInterval;

	final long receiveInterval;

	volatile long lastReadNanos;

	volatile long lastWriteNanos;

	volatile boolean closed;

	/**
	 * The session's own broker connection, opened for its first client-ack subscription,
	 * queue subscription or send, or frame with broker headers: closing it at the end of
	 * the session is what makes RabbitMQ redeliver what the client did not ack, as with
	 * Spring's relay, and an ERROR on it ends this session alone.
	 */
	@Nullable BrokerConnection ownConnection;

	final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

	/**
	 * Transactions begun and not yet committed or aborted, with their frames (the broker
	 * never sees them).
	 */
	final Transactions transactions = new Transactions();

	ClientSession(String id, @Nullable Principal user, BrokerConnection connection, long sendInterval,
			long receiveInterval) {
		this.id = id;
		this.user = user;
		this.connection = connection;
		this.sendInterval = sendInterval;
		this.receiveInterval = receiveInterval;
		long now = System.nanoTime();
		this.lastReadNanos = now;
		this.lastWriteNanos = now;
	}

	/**
	 * One client subscription: either a share of a node-wide topic subscription, or a
	 * broker subscription of its own on the session's connection.
	 */
	record Subscription(String clientId, String destination, @Nullable Topic topic, @Nullable Dedicated dedicated) {
	}

}
