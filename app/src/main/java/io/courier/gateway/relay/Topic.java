package io.courier.gateway.relay;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The node's one subscription to a shared destination (a binding of the node queue of
 * {@link #connection}, or, without node queues, a broker subscription of its own) and the
 * local subscriptions sharing it. The subscriber array is replaced, never changed, so the
 * event loop fans out over a snapshot without locking.
 */
final class Topic implements Route {

	/** A local subscription: the session and the subscription id the client chose. */
	record Subscriber(ClientSession session, String subscriptionId) {
	}

	final String destination;

	/** The broker subscription's id; {@code null} on a node queue. */
	final @Nullable String brokerId;

	/**
	 * The node queue binding that brings this destination's messages; {@code null}
	 * without node queues.
	 */
	final @Nullable TopicBinding binding;

	final BrokerConnection connection;

	/**
	 * What its subscribers subscribed to when that is not {@link #destination}: a user
	 * destination ({@code /user/queue/x}, which the gateway resolved to a key of
	 * {@code courier.user}). A message that does not say so itself (a backend's reply
	 * over AMQP) is delivered as coming from there.
	 */
	volatile @Nullable String clientDestination;

	private volatile Subscriber[] subscribers = new Subscriber[0];

	/**
	 * Receipts clients asked for on SUBSCRIBE, sent when the broker confirms the
	 * subscription.
	 */
	private final List<Runnable> pendingReceipts = new ArrayList<>();

	private boolean confirmed;

	Topic(String destination, @Nullable String brokerId, @Nullable TopicBinding binding, BrokerConnection connection) {
		this.destination = destination;
		this.brokerId = brokerId;
		this.binding = binding;
		this.connection = connection;
	}

	Subscriber[] subscribers() {
		return this.subscribers;
	}

	synchronized void add(Subscriber subscriber) {
		Subscriber[] current = this.subscribers;
		Subscriber[] next = new Subscriber[current.length + 1];
		System.arraycopy(current, 0, next, 0, current.length);
		next[current.length] = subscriber;
		this.subscribers = next;
	}

	/** Removes the subscriber; returns how many remain. */
	synchronized int remove(ClientSession session, String subscriptionId) {
		Subscriber[] current = this.subscribers;
		List<Subscriber> next = new ArrayList<>(current.length);
		for (Subscriber subscriber : current) {
			if (subscriber.session() != session || !subscriber.subscriptionId().equals(subscriptionId)) {
				next.add(subscriber);
			}
		}
		this.subscribers = next.toArray(Subscriber[]::new);
		return this.subscribers.length;
	}

	/**
	 * Runs {@code receipt} now if the broker confirmed the subscription, else when it
	 * does.
	 */
	void whenConfirmed(Runnable receipt) {
		synchronized (this) {
			if (!this.confirmed) {
				this.pendingReceipts.add(receipt);
				return;
			}
		}
		receipt.run();
	}

	void confirm() {
		List<Runnable> receipts;
		synchronized (this) {
			this.confirmed = true;
			receipts = new ArrayList<>(this.pendingReceipts);
			this.pendingReceipts.clear();
		}
		receipts.forEach(Runnable::run);
	}

}
