package io.courier.gateway.relay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.tcp.ReconnectStrategy;
import org.springframework.messaging.tcp.TcpConnection;
import org.springframework.scheduling.TaskScheduler;

import io.courier.gateway.session.LogText;

/**
 * One STOMP connection from this node to RabbitMQ, shared by many client sessions. It
 * logs in with the gateway's credentials, heart-beats with the broker, and when it is
 * lost (transport failure, broker ERROR, missed heart-beats) reports it once and
 * reconnects with backoff, moving to the next broker address each attempt. Frames it
 * receives (MESSAGE, RECEIPT, ERROR) go to its {@link Listener} on the connection's
 * event-loop thread, in the order the broker sent them, and after the frames of each
 * socket read, {@link Listener#readComplete}.
 */
final class BrokerConnection implements StompTcpClient.Handler {

	private static final Log logger = LogFactory.getLog(BrokerConnection.class);

	private static final long CONNECTED_TIMEOUT_MILLIS = 10_000;

	/** What the relay learns from a connection. */
	interface Listener {

		void connected(BrokerConnection connection);

		void frame(BrokerConnection connection, Message<byte[]> frame, StompHeaderAccessor accessor);

		void lost(BrokerConnection connection, String reason);

		/**
		 * The frames of one read from the socket went to {@link #frame}: what was held
		 * for them can be written.
		 */
		void readComplete(BrokerConnection connection);

	}

	private final int index;

	private final List<StompTcpClient> clients;

	private final RelaySettings settings;

	private final TaskScheduler scheduler;

	private final Listener listener;

	private final Object lock = new Object();

	private final BrokerLogin login;

	private final ReconnectStrategy backOff;

	/**
	 * Client writes held until the end of the current read
	 * ({@link Listener#readComplete}).
	 */
	private final HeldWrites held = new HeldWrites();

	private volatile @Nullable TcpConnection<byte[]> tcp;

	private volatile boolean stompConnected;

	private volatile boolean stopped;

	/**
	 * Attempts so far; attempt {@code n} goes to broker address {@code n % addresses}
	 * (read by health).
	 */
	private volatile int attempt;

	/**
	 * A session's own connection: never reconnects; frames sent before CONNECTED wait for
	 * it.
	 */
	private final boolean dedicated;

	private final List<Message<byte[]>> waiting = new ArrayList<>();

	private long failedAttempts;

	BrokerConnection(int index, List<StompTcpClient> clients, RelaySettings settings, TaskScheduler scheduler,
			Listener listener) {
		this(index, clients, settings, scheduler, listener, false);
	}

	/**
	 * A connection of one client session's own (client-ack subscriptions): it does not
	 * reconnect when lost.
	 */
	static BrokerConnection forSession(List<StompTcpClient> clients, RelaySettings settings, TaskScheduler scheduler,
			Listener listener) {
		return new BrokerConnection(-1, clients, settings, scheduler, listener, true);
	}

	private BrokerConnection(int index, List<StompTcpClient> clients, RelaySettings settings, TaskScheduler scheduler,
			Listener listener, boolean dedicated) {
		this.dedicated = dedicated;
		this.index = index;
		this.clients = clients;
		this.settings = settings;
		this.scheduler = scheduler;
		this.listener = listener;
		this.login = new BrokerLogin(settings);
		this.backOff = new ReconnectBackOff(settings.reconnectDelay(), settings.maxReconnectDelay());
		this.attempt = index; // connections start on different addresses of a cluster
	}

	int index() {
		return this.index;
	}

	/** The broker address this connection is on, or tries next. */
	String address() {
		return this.settings.addresses().get(this.attempt % this.settings.addresses().size());
	}

	boolean isConnected() {
		return this.stompConnected;
	}

	boolean isDedicated() {
		return this.dedicated;
	}

	void start() {
		this.stopped = false;
		connect();
	}

	void stop() {
		synchronized (this.lock) {
			this.waiting.clear();
		}
		this.stopped = true;
		TcpConnection<byte[]> connection = this.tcp;
		this.tcp = null;
		this.stompConnected = false;
		if (connection != null) {
			connection.close();
		}
	}

	/**
	 * Drops the connection as lost (its sessions are told, it reconnects with backoff).
	 */
	void restart(String reason) {
		TcpConnection<byte[]> connection = this.tcp;
		if (connection != null) {
			fail(connection, reason);
		}
	}

	/**
	 * The client writes held for the read being handled (on the connection's event loop
	 * only).
	 */
	HeldWrites held() {
		return this.held;
	}

	/**
	 * Sends a frame if the connection is up; the future fails if it is not or the write
	 * fails (the connection then counts as lost).
	 */
	CompletableFuture<@Nullable Void> send(Message<byte[]> frame) {
		if (this.dedicated) {
			synchronized (this.lock) {
				if (!this.stompConnected && !this.stopped) {
					this.waiting.add(frame);
					return CompletableFuture.completedFuture(null);
				}
			}
		}
		TcpConnection<byte[]> connection = this.tcp;
		if (connection == null || !this.stompConnected) {
			return CompletableFuture
				.failedFuture(new IllegalStateException("broker connection " + this.index + " is not connected"));
		}
		CompletableFuture<@Nullable Void> future = connection.sendAsync(frame);
		future.whenComplete((unused, ex) -> {
			if (ex != null) {
				fail(connection, "failed to forward a frame: " + ex.getMessage());
			}
		});
		return future;
	}

	private void connect() {
		if (this.stopped) {
			return;
		}
		StompTcpClient client = this.clients.get(this.attempt % this.clients.size());
		client.connectAsync(this);
	}

	@Override
	public void afterConnected(TcpConnection<byte[]> connection) {
		synchronized (this.lock) {
			if (this.stopped) {
				connection.close();
				return;
			}
			this.tcp = connection;
		}
		connection.sendAsync(this.login.connectFrame());
		this.scheduler.schedule(() -> {
			if (this.tcp == connection && !this.stompConnected) {
				fail(connection, "No CONNECTED frame received in " + CONNECTED_TIMEOUT_MILLIS + " ms.");
			}
		}, Instant.now().plusMillis(CONNECTED_TIMEOUT_MILLIS));
	}

	@Override
	public void afterConnectFailure(Throwable ex) {
		if (this.dedicated) {
			this.stopped = true;
			this.listener.lost(this, "Failed to connect: " + ex.getMessage());
			return;
		}
		this.failedAttempts++;
		if (this.failedAttempts == 1 || this.failedAttempts % 20 == 0) {
			logger.warn("Broker connection " + this.index + " cannot connect (attempt " + this.failedAttempts + "): "
					+ ex.getMessage());
		}
		scheduleReconnect();
	}

	@Override
	public void handleMessage(Message<byte[]> message) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getMessageType() == SimpMessageType.HEARTBEAT) {
			return;
		}
		TcpConnection<byte[]> connection = this.tcp;
		if (StompCommand.CONNECTED.equals(accessor.getCommand()) && connection != null) {
			connected(connection, accessor);
			return;
		}
		if (StompCommand.ERROR.equals(accessor.getCommand())) {
			logger.warn("Broker connection " + this.index + " got ERROR: " + LogText.escape(accessor.getMessage()) + " "
					+ LogText.escape(new String(message.getPayload(), StandardCharsets.UTF_8)));
		}
		this.listener.frame(this, message, accessor);
	}

	@Override
	public void afterRead() {
		this.listener.readComplete(this);
	}

	private void connected(TcpConnection<byte[]> connection, StompHeaderAccessor connected) {
		this.login.agreeHeartbeats(connection, connected, (reason) -> fail(connection, reason));
		this.failedAttempts = 0;
		List<Message<byte[]>> frames;
		synchronized (this.lock) {
			this.stompConnected = true;
			frames = new ArrayList<>(this.waiting);
			this.waiting.clear();
		}
		frames.forEach(connection::sendAsync);
		if (!this.dedicated) {
			logger.info("Broker connection " + this.index + " connected to " + address());
		}
		this.listener.connected(this);
	}

	@Override
	public void handleFailure(Throwable ex) {
		TcpConnection<byte[]> connection = this.tcp;
		if (connection != null) {
			fail(connection, "Transport failure: " + ex.getMessage());
		}
	}

	@Override
	public void afterConnectionClosed() {
		TcpConnection<byte[]> connection = this.tcp;
		if (connection != null) {
			fail(connection, "Connection to broker closed.");
		}
	}

	private void fail(TcpConnection<byte[]> connection, String reason) {
		boolean wasConnected;
		synchronized (this.lock) {
			if (this.tcp != connection) {
				return; // reported already
			}
			this.tcp = null;
			wasConnected = this.stompConnected;
			this.stompConnected = false;
		}
		connection.close();
		if (this.stopped) {
			return;
		}
		if (this.dedicated) {
			this.stopped = true;
			this.listener.lost(this, reason);
			return;
		}
		logger.warn("Broker connection " + this.index + " lost: " + reason);
		if (wasConnected) {
			this.listener.lost(this, reason);
		}
		else {
			this.failedAttempts++;
		}
		scheduleReconnect();
	}

	private void scheduleReconnect() {
		if (this.stopped) {
			return;
		}
		this.attempt++;
		long delay = this.backOff
			.getTimeToNextAttempt((int) Math.min(Integer.MAX_VALUE, Math.max(1, this.failedAttempts)));
		this.scheduler.schedule(this::connect, Instant.now().plusMillis(delay));
	}

}
