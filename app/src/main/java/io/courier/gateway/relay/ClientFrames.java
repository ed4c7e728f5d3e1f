package io.courier.gateway.relay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;

import io.courier.gateway.session.ClientError;

/**
 * A client's SEND, ACK, NACK, BEGIN, COMMIT and ABORT on their way to the broker: each on
 * the connection that keeps the session's frames in order and other sessions safe (a
 * pooled connection for plain sends, the session's own for anything RabbitMQ could
 * refuse, the delivering subscription's for an ack), transactions held here until COMMIT,
 * acks checked against what the session was sent, receipts answered when the broker's
 * come.
 */
final class ClientFrames {

	private final ConnectionPool pool;

	private final Receipts receipts;

	private final ClientReplies replies;

	private final SessionRegistry sessions;

	ClientFrames(ConnectionPool pool, Receipts receipts, ClientReplies replies, SessionRegistry sessions) {
		this.pool = pool;
		this.receipts = receipts;
		this.replies = replies;
		this.sessions = sessions;
	}

	void forward(ClientSession session, Message<?> message, StompHeaderAccessor accessor) {
		StompCommand command = accessor.getCommand();
		String receipt = accessor.getReceipt();
		String transaction = accessor.getFirstNativeHeader(Frames.TRANSACTION);
		@SuppressWarnings("unchecked")
		Message<byte[]> frame = (Message<byte[]>) message;
		if (command == StompCommand.BEGIN || command == StompCommand.COMMIT || command == StompCommand.ABORT) {
			transaction(session, command, transaction, receipt);
			return;
		}
		if (transaction == null) {
			BrokerConnection connection = route(session, command, accessor);
			if (connection != null) {
				connection
					.send(this.receipts.withBrokerReceipt(Frames.asSent(frame), session, connection, receipt, null));
			}
			return;
		}
		if ((command == StompCommand.ACK || command == StompCommand.NACK)
				&& !isOutstanding(session, accessor.getFirstNativeHeader("id"))) {
			failUnknownAck(session, command, accessor);
			return;
		}
		String refused = session.transactions.hold(transaction, String.valueOf(command),
				Frames.withoutTransaction(frame));
		answer(session, refused, receipt);
	}

	private void transaction(ClientSession session, StompCommand command, @Nullable String transaction,
			@Nullable String receipt) {
		if (transaction == null) {
			this.sessions.fail(session, ClientError.INVALID_FRAME.text(command + " needs a transaction header"),
					receipt);
			return;
		}
		if (command == StompCommand.BEGIN) {
			answer(session, session.transactions.begin(transaction), receipt);
			return;
		}
		List<Message<byte[]>> frames = session.transactions.end(transaction);
		if (frames == null) {
			this.sessions.fail(session,
					ClientError.INVALID_FRAME.text(Transactions.notOpen(command.name(), transaction)), receipt);
		}
		else if (command == StompCommand.ABORT) {
			answer(session, null, receipt);
		}
		else {
			commit(session, frames, receipt);
		}
	}

	/**
	 * A frame the relay handled itself: refused (the session fails), or done (its
	 * receipt, if any, answered).
	 */
	private void answer(ClientSession session, @Nullable String refused, @Nullable String receipt) {
		if (refused != null) {
			this.sessions.fail(session, ClientError.INVALID_FRAME.text(refused), receipt);
		}
		else if (receipt != null) {
			this.replies.receipt(session, receipt);
		}
	}

	/**
	 * Sends a committed transaction's frames in order. Its receipt is answered once the
	 * broker has confirmed the last frame on each connection they went to.
	 */
	private void commit(ClientSession session, List<Message<byte[]>> frames, @Nullable String receipt) {
		List<BrokerConnection> routes = new ArrayList<>(frames.size());
		for (Message<byte[]> frame : frames) {
			StompHeaderAccessor accessor = Frames.stompAccessor(frame);
			BrokerConnection connection = route(session, accessor.getCommand(), accessor);
			if (connection == null) {
				return; // the session failed; nothing of the transaction was sent
			}
			routes.add(connection);
		}
		Map<BrokerConnection, Integer> last = new HashMap<>();
		for (int i = 0; i < routes.size(); i++) {
			last.put(routes.get(i), i);
		}
		Runnable confirmed = (receipt != null)
				? Receipts.countdown(last.size(), () -> this.replies.receipt(session, receipt)) : null;
		if (confirmed != null && frames.isEmpty()) {
			confirmed.run();
		}
		for (int i = 0; i < frames.size(); i++) {
			BrokerConnection connection = routes.get(i);
			boolean confirms = confirmed != null && last.get(connection) == i;
			connection
				.send(confirms ? this.receipts.withBrokerReceipt(frames.get(i), session, connection, receipt, confirmed)
						: frames.get(i));
		}
	}

	/**
	 * The connection a SEND, ACK or NACK goes on; {@code null} if the session was failed
	 * instead (an ACK/NACK of a message it was not sent). An ACK/NACK settles the message
	 * here.
	 */
	private @Nullable BrokerConnection route(ClientSession session, @Nullable StompCommand command,
			StompHeaderAccessor accessor) {
		if (command == StompCommand.ACK || command == StompCommand.NACK) {
			String ackId = accessor.getFirstNativeHeader("id");
			Dedicated settled = (ackId != null) ? settle(session, ackId) : null;
			if (settled == null) {
				failUnknownAck(session, command, accessor);
				return null;
			}
			return settled.connection;
		}
		String destination = accessor.getDestination();
		if (destination != null
				&& this.pool.sharing().allows(StompCommand.SEND, destination, accessor.toNativeHeaderMap())) {
			return session.connection;
		}
		return this.pool.ownConnection(session);
	}

	private void failUnknownAck(ClientSession session, StompCommand command, StompHeaderAccessor accessor) {
		this.sessions.fail(session,
				ClientError.INVALID_FRAME.text(command + " of a message this session has not been sent or has settled: "
						+ accessor.getFirstNativeHeader("id")),
				accessor.getReceipt());
	}

	private static boolean isOutstanding(ClientSession session, @Nullable String ackId) {
		return ackId != null && dedicated(session, (dedicated) -> dedicated.isOutstanding(ackId)) != null;
	}

	private static @Nullable Dedicated settle(ClientSession session, String ackId) {
		return dedicated(session, (dedicated) -> dedicated.settle(ackId));
	}

	/** The session's first dedicated subscription that passes {@code test}. */
	private static @Nullable Dedicated dedicated(ClientSession session, Predicate<Dedicated> test) {
		for (ClientSession.Subscription subscription : session.subscriptions.values()) {
			Dedicated dedicated = subscription.dedicated();
			if (dedicated != null && test.test(dedicated)) {
				return dedicated;
			}
		}
		return null;
	}

}
