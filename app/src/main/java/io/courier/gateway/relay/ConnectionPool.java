package io.courier.gateway.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

import io.courier.gateway.session.ClientError;

/**
 * The node's broker connections: a fixed pool shared by every client session (one TCP
 * client per broker address, the connections spread over them, on a few event loops), and
 * the connections sessions open of their own. Says which pooled connection serves a
 * session, a shared destination or an application message, and whether the relay can
 * serve clients at all. How pooled connections may be shared
 * ({@link SharedConnectionPolicy}) and the node queues consumed on them are set before
 * start.
 */
final class ConnectionPool {

	/**
	 * What a client is told when no pooled connection can serve it (the wording of
	 * Spring's relay).
	 */
	static final String NONE_UP = ClientError.BROKER_UNAVAILABLE.text("Broker not available.");

	private final RelaySettings settings;

	private final TaskScheduler scheduler;

	private final List<StompTcpClient> clients = new ArrayList<>();

	private final List<BrokerConnection> connections = new ArrayList<>();

	/**
	 * The broker connections' event loops (they fan out too); made on start, shut down on
	 * stop.
	 */
	private volatile @Nullable EventLoopGroup loops;

	private volatile BrokerConnection.@Nullable Listener listener;

	private volatile SharedConnectionPolicy sharing = new SharedConnectionPolicy(List.of("/topic/"));

	/**
	 * The node's queues; {@code null}: each shared destination is a broker subscription
	 * of its own.
	 */
	private volatile @Nullable NodeQueues nodeQueues;

	/**
	 * Guards the sessions' own connections (opened on a client frame, closed at the
	 * session's end).
	 */
	private final Object ownConnections = new Object();

	ConnectionPool(RelaySettings settings, TaskScheduler scheduler) {
		this.settings = settings;
		this.scheduler = scheduler;
	}

	void start(BrokerConnection.Listener listener) {
		this.listener = listener;
		int threads = Math.min(this.settings.connections(), Runtime.getRuntime().availableProcessors());
		EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads,
				new DefaultThreadFactory("courier-broker", true), NioIoHandler.newFactory());
		this.loops = loops;
		for (String address : this.settings.addresses()) {
			this.clients.add(new StompTcpClient(RelaySettings.host(address), RelaySettings.port(address), loops));
		}
		for (int i = 0; i < this.settings.connections(); i++) {
			this.connections.add(new BrokerConnection(i, this.clients, this.settings, this.scheduler, listener));
		}
		this.connections.forEach(BrokerConnection::start);
	}

	void stop() {
		this.connections.forEach(BrokerConnection::stop);
		NodeQueues queues = this.nodeQueues;
		if (queues != null) {
			queues.deleteAll(Duration.ofSeconds(2)); // else RabbitMQ removes them once
														// they expire
		}
		EventLoopGroup loops = this.loops;
		if (loops != null) {
			try {
				loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.loops = null;
		}
		this.connections.clear();
		this.clients.clear();
	}

	SharedConnectionPolicy sharing() {
		return this.sharing;
	}

	void share(SharedConnectionPolicy sharing) {
		this.sharing = sharing;
	}

	@Nullable NodeQueues nodeQueues() {
		return this.nodeQueues;
	}

	void consume(NodeQueues queues) {
		this.nodeQueues = queues;
	}

	int size() {
		return this.connections.size();
	}

	List<MultiplexedRelayMessageHandler.ConnectionState> states() {
		return this.connections.stream()
			.map((connection) -> new MultiplexedRelayMessageHandler.ConnectionState(connection.index(),
					connection.address(), connection.isConnected()))
			.toList();
	}

	int up() {
		return (int) this.connections.stream().filter(BrokerConnection::isConnected).count();
	}

	/** A connected pooled connection, the one {@code hash} points at if it is up. */
	@Nullable BrokerConnection pick(int hash) {
		int size = this.connections.size();
		for (int i = 0; i < size; i++) {
			BrokerConnection connection = this.connections.get(Math.floorMod(hash + i, size));
			if (connection.isConnected()) {
				return connection;
			}
		}
		return null;
	}

	/**
	 * The connection for a new shared destination: with node queues, one whose queue is
	 * ready.
	 */
	@Nullable BrokerConnection pickForTopic(int hash) {
		NodeQueues queues = this.nodeQueues;
		if (queues == null) {
			return pick(hash);
		}
		int size = queues.count();
		for (int i = 0; i < size; i++) {
			int index = Math.floorMod(hash + i, size);
			BrokerConnection connection = this.connections.get(index);
			if (connection.isConnected() && queues.isReady(index)) {
				return connection;
			}
		}
		return null;
	}

	/**
	 * Whether the relay can serve clients: a broker connection is up, and with node
	 * queues, one whose queue is ready (until then a SUBSCRIBE to a topic would have
	 * nowhere to go).
	 */
	boolean isServing() {
		NodeQueues queues = this.nodeQueues;
		for (BrokerConnection connection : this.connections) {
			if (connection.isConnected() && (queues == null || queues.isReady(connection.index()))) {
				return true;
			}
		}
		return false;
	}

	/** The session's own connection, opened on first use. */
	BrokerConnection ownConnection(ClientSession session) {
		synchronized (this.ownConnections) {
			BrokerConnection own = session.ownConnection;
			BrokerConnection.Listener listener = this.listener;
			if (own == null && listener != null) {
				own = BrokerConnection.forSession(this.clients, this.settings, this.scheduler, listener);
				session.ownConnection = own;
				own.start();
			}
			if (own == null) {
				throw new IllegalStateException("the relay is not started");
			}
			return own;
		}
	}

	/**
	 * Closes the session's own connection, if it has one: RabbitMQ redelivers what the
	 * client did not ack.
	 */
	void closeOwnConnection(ClientSession session) {
		BrokerConnection own;
		synchronized (this.ownConnections) {
			own = session.ownConnection;
			session.ownConnection = null;
		}
		if (own != null) {
			own.stop();
		}
	}

	/**
	 * Whether the caller runs on one of the broker connections' event loops (where it
	 * must never block).
	 */
	boolean onEventLoop() {
		EventLoopGroup loops = this.loops;
		if (loops != null) {
			for (EventExecutor loop : loops) {
				if (loop.inEventLoop()) {
					return true;
				}
			}
		}
		return false;
	}

}
