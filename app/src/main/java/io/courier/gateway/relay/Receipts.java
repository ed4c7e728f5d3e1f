package io.courier.gateway.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Broker receipt ids and what each confirms: a client's frame (the client's own receipt
 * is answered when the broker's comes; an ERROR naming it goes to that session with the
 * client's receipt id) or one of the relay's own frames. Forgotten with the connection or
 * the session they belong to.
 */
final class Receipts {

	/**
	 * What a broker receipt confirms: a client's frame (its session and receipt) or the
	 * relay's own.
	 */
	record Pending(BrokerConnection connection, @Nullable ClientSession session, @Nullable String clientReceipt,
			Runnable action) {
	}

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final ClientReplies replies;

	Receipts(ClientReplies replies) {
		this.replies = replies;
	}

	/**
	 * A receipt id for one of the relay's own frames: {@code confirmed} runs when the
	 * broker answers it.
	 */
	String forRelay(BrokerConnection connection, Runnable confirmed) {
		String id = nextId();
		this.pending.put(id, new Pending(connection, null, null, confirmed));
		return id;
	}

	/**
	 * A broker receipt id for a client's frame: when the broker confirms it,
	 * {@code confirmed} runs, or else the client's receipt is answered.
	 */
	String forClient(ClientSession session, BrokerConnection connection, String clientReceipt,
			@Nullable Runnable confirmed) {
		String id = nextId();
		Runnable action = (confirmed != null) ? confirmed : () -> this.replies.receipt(session, clientReceipt);
		this.pending.put(id, new Pending(connection, session, clientReceipt, action));
		return id;
	}

	/**
	 * The frame with its client receipt replaced by a broker one (see
	 * {@link #forClient}); else the frame as is.
	 */
	Message<byte[]> withBrokerReceipt(Message<byte[]> frame, ClientSession session, BrokerConnection connection,
			@Nullable String clientReceipt, @Nullable Runnable confirmed) {
		if (clientReceipt == null) {
			return frame;
		}
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(frame);
		accessor.setReceipt(forClient(session, connection, clientReceipt, confirmed));
		return MessageBuilder.createMessage(frame.getPayload(), accessor.getMessageHeaders());
	}

	/**
	 * Replaces the client's receipt id in {@code frame}, if it has one, with a broker
	 * one.
	 */
	void map(StompHeaderAccessor frame, ClientSession session, BrokerConnection connection) {
		String clientReceipt = frame.getReceipt();
		if (clientReceipt != null) {
			frame.setReceipt(forClient(session, connection, clientReceipt, null));
		}
	}

	/** The broker's RECEIPT: what it confirms is done. */
	void confirmed(@Nullable String id) {
		Pending confirmed = (id != null) ? this.pending.remove(id) : null;
		if (confirmed != null) {
			confirmed.action().run();
		}
	}

	/** The broker's ERROR naming a receipt: what it refused, if the relay knows. */
	@Nullable Pending refused(@Nullable String id) {
		return (id != null) ? this.pending.remove(id) : null;
	}

	void forget(BrokerConnection connection) {
		this.pending.values().removeIf((receipt) -> receipt.connection() == connection);
	}

	void forget(ClientSession session) {
		this.pending.values().removeIf((receipt) -> receipt.session() == session);
	}

	/** Runs {@code done} on the {@code count}th call. */
	static Runnable countdown(int count, Runnable done) {
		AtomicInteger left = new AtomicInteger(count);
		return () -> {
			if (left.decrementAndGet() == 0) {
				done.run();
			}
		};
	}

	private String nextId() {
		return "r" + this.ids.incrementAndGet();
	}

}
