package io.courier.gateway.relay;

import java.security.Principal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.scheduling.TaskScheduler;

import io.courier.gateway.session.ClientError;

/**
 * The relay's client sessions: CONNECT (answered by the node, with heart-beats negotiated
 * with the client), the end of a session (its subscriptions released, its own broker
 * connection closed), failing a session with an ERROR, and the heart-beat sweep that
 * writes the node's heart-beats and fails sessions whose client went silent.
 */
final class SessionRegistry {

	private static final Log logger = LogFactory.getLog(SessionRegistry.class);

	private static final long HEARTBEAT_SWEEP_MILLIS = 500;

	private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();

	private final RelaySettings settings;

	private final ConnectionPool pool;

	private final ClientReplies replies;

	private final Receipts receipts;

	/** Releases every subscription of an ending session. */
	private final Consumer<ClientSession> releaseSubscriptions;

	private volatile @Nullable ScheduledFuture<?> sweep;

	SessionRegistry(RelaySettings settings, ConnectionPool pool, ClientReplies replies, Receipts receipts,
			Consumer<ClientSession> releaseSubscriptions) {
		this.settings = settings;
		this.pool = pool;
		this.replies = replies;
		this.receipts = receipts;
		this.releaseSubscriptions = releaseSubscriptions;
	}

	@Nullable ClientSession get(String sessionId) {
		return this.sessions.get(sessionId);
	}

	Iterable<ClientSession> all() {
		return this.sessions.values();
	}

	int size() {
		return this.sessions.size();
	}

	int subscriptionCount() {
		return this.sessions.values().stream().mapToInt((session) -> session.subscriptions.size()).sum();
	}

	/**
	 * Binds a new session to a pooled connection and answers its CONNECT, or fails it if
	 * none is up.
	 */
	void connect(String sessionId, Message<?> message, StompHeaderAccessor accessor) {
		Principal user = accessor.getUser();
		if (this.sessions.containsKey(sessionId)) {
			logger.warn("Ignoring CONNECT in session " + sessionId + ": already connected");
			return;
		}
		BrokerConnection connection = this.pool.pick(sessionId.hashCode());
		if (connection == null) {
			this.replies.error(sessionId, user, ConnectionPool.NONE_UP, null);
			return;
		}
		long[] client = accessor.getHeartbeat();
		long offerSend = this.settings.clientHeartbeatSend().toMillis();
		long wantReceive = this.settings.clientHeartbeatReceive().toMillis();
		long send = (offerSend > 0 && client[1] > 0) ? Math.max(offerSend, client[1]) : 0;
		long receive = (wantReceive > 0 && client[0] > 0) ? Math.max(wantReceive, client[0]) : 0;
		ClientSession session = new ClientSession(sessionId, user, connection, send, receive);
		this.sessions.put(sessionId, session);
		this.replies.connected(session, message);
	}

	/**
	 * Ends the session; a DISCONNECT with a receipt is answered (the gateway then closes
	 * the socket).
	 */
	void disconnect(@Nullable ClientSession session, Message<?> message, StompHeaderAccessor accessor) {
		if (session != null) {
			end(session);
			if (accessor.getReceipt() != null) {
				this.replies.disconnected(session.id, message);
			}
		}
	}

	/**
	 * Sends the client an ERROR (after which Spring's STOMP handler closes it) and
	 * forgets the session.
	 */
	void fail(ClientSession session, String text, @Nullable String receipt) {
		end(session);
		this.replies.error(session.id, session.user, text, receipt);
	}

	/**
	 * Forgets the session: leaves its topics, cancels its own broker subscriptions, drops
	 * its transactions.
	 */
	void end(ClientSession session) {
		if (session.closed) {
			return;
		}
		session.closed = true;
		this.sessions.remove(session.id, session);
		this.releaseSubscriptions.accept(session);
		session.transactions.clear(); // never sent: nothing to abort at the broker
		this.pool.closeOwnConnection(session);
		this.receipts.forget(session);
	}

	/**
	 * A broker connection was lost: every session that depended on it fails with the
	 * connection's reason.
	 */
	void failDependents(BrokerConnection connection, String reason) {
		for (ClientSession session : this.sessions.values()) {
			if (dependsOn(session, connection)) {
				fail(session, ClientError.BROKER_UNAVAILABLE.text(reason), null);
			}
		}
	}

	/** The session a connection of its own belongs to. */
	@Nullable ClientSession ownerOf(BrokerConnection own) {
		for (ClientSession session : this.sessions.values()) {
			if (session.ownConnection == own) {
				return session;
			}
		}
		return null;
	}

	void startHeartbeats(TaskScheduler scheduler) {
		this.sweep = scheduler.scheduleWithFixedDelay(this::checkHeartbeats, Duration.ofMillis(HEARTBEAT_SWEEP_MILLIS));
	}

	void stopHeartbeats() {
		ScheduledFuture<?> sweep = this.sweep;
		if (sweep != null) {
			sweep.cancel(false);
		}
	}

	private void checkHeartbeats() {
		long now = System.nanoTime();
		for (ClientSession session : this.sessions.values()) {
			if (session.receiveInterval > 0
					&& now - session.lastReadNanos > TimeUnit.MILLISECONDS.toNanos(session.receiveInterval * 3 / 2)) {
				fail(session, ClientError.HEARTBEAT_TIMEOUT.text("no frame from the client for "
						+ TimeUnit.NANOSECONDS.toMillis(now - session.lastReadNanos) + " ms"), null);
			}
			else if (session.sendInterval > 0 && now - session.lastWriteNanos > TimeUnit.MILLISECONDS
				.toNanos(Math.max(session.sendInterval - HEARTBEAT_SWEEP_MILLIS, session.sendInterval / 2))) {
				this.replies.heartbeat(session);
			}
		}
	}

	private static boolean dependsOn(ClientSession session, BrokerConnection connection) {
		if (session.connection == connection || session.ownConnection == connection) {
			return true;
		}
		for (ClientSession.Subscription subscription : session.subscriptions.values()) {
			Topic topic = subscription.topic();
			if (topic != null && topic.connection == connection) {
				return true;
			}
		}
		return false;
	}

}
