package io.courier.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.courier.bench.metrics.BrokerProbe;
import io.courier.bench.metrics.ProcessProbe;
import io.courier.bench.stomp.StompSession;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * What the scenarios share in one invocation: one client event-loop thread for every
 * session, one heart-beat scheduler thread, the token minter, the AMQP connection factory
 * and the pids to measure.
 */
final class BenchContext implements AutoCloseable {

	static final Duration HEARTBEAT = Duration.ofSeconds(10);

	final BenchOptions options;

	final PrintStream out;

	private final LoopResources loop = LoopResources.create("bench-client", 1, true);

	final HttpClient http = HttpClient.create(ConnectionProvider.newConnection()).runOn(this.loop);

	final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread thread = new Thread(r, "bench-heartbeats");
		thread.setDaemon(true);
		return thread;
	});

	private TokenMinter minter;

	BenchContext(BenchOptions options, PrintStream out) {
		this.options = options;
		this.out = out;
	}

	/**
	 * RabbitMQ's management API on the vhost of {@code --amqp-uri}, as
	 * {@code --management-user user:password}.
	 */
	BrokerProbe brokerProbe() {
		String[] user = this.options.string("management-user", "courier-admin:courier-admin").split(":", 2);
		String path = this.options.amqpUri().getPath();
		String vhost = (path == null || path.length() <= 1) ? "/" : path.substring(1);
		return new BrokerProbe(this.options.managementUrl(), user[0], (user.length > 1) ? user[1] : "", vhost);
	}

	URI url(Target target, int floorPort) {
		return switch (target) {
			case COURIER -> this.options.courierUrl();
			case DIRECT -> this.options.directUrl();
			case FLOOR -> URI.create("ws://127.0.0.1:" + floorPort + "/ws");
		};
	}

	/**
	 * CONNECT headers: a minted JWT for Courier, the broker user for Web-STOMP, nothing
	 * for the floor.
	 */
	Map<String, String> connectHeaders(Target target, String user, List<String> orders) {
		return switch (target) {
			case COURIER -> Map.of("Authorization", "Bearer " + minter().mint(user, orders, Duration.ofHours(1)));
			case DIRECT -> Map.of("login", "courier-relay", "passcode", "courier-relay", "host", "courier");
			case FLOOR -> Map.of();
		};
	}

	synchronized TokenMinter minter() {
		if (this.minter == null) {
			int port = this.options.courierUrl().getPort();
			String issuer = this.options.string("issuer", "http://127.0.0.1:" + port + "/dev");
			this.minter = new TokenMinter(Path.of(this.options.string("key-dir", "data/bench/keys")), issuer);
		}
		return this.minter;
	}

	Connection amqp() throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(this.options.amqpUri());
		return factory.newConnection("courier-bench");
	}

	/**
	 * As {@link #amqp()} (user, password, virtual host of {@code --amqp-uri}) to the
	 * first of these addresses that answers.
	 */
	Connection amqp(com.rabbitmq.client.Address[] addresses) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(this.options.amqpUri());
		return factory.newConnection(addresses, "courier-bench");
	}

	/**
	 * RabbitMQ's VMs whose CPU the bench reports: the default broker's, or with
	 * {@code --broker cluster} the three nodes of {@code rabbitmq/cluster.sh} (their pid
	 * files).
	 */
	long[] beamPids() {
		if (!"cluster".equals(this.options.string("broker", "single"))) {
			return new long[] { io.courier.bench.metrics.ProcessProbe.beamPid() };
		}
		long[] pids = new long[BrokerCluster.NODES];
		for (int node = 1; node <= BrokerCluster.NODES; node++) {
			pids[node - 1] = BrokerCluster.pid(node);
		}
		return pids;
	}

	long gatewayPid() {
		String given = this.options.string("gateway-pid", "");
		if (!given.isBlank()) {
			return Long.parseLong(given.trim());
		}
		return ProcessProbe.listenerPid(this.options.courierUrl().getPort());
	}

	/**
	 * Sessions opened with at most {@code concurrency} CONNECTs in flight, and how it
	 * went.
	 */
	record Opened(List<StompSession> sessions, int failed, List<String> errors, long elapsedNanos) {

		List<StompSession> connected() {
			return this.sessions.stream()
				.filter((s) -> s.connected().isDone() && !s.connected().isCompletedExceptionally())
				.toList();
		}

	}

	/**
	 * CONNECT headers for {@code count} sessions; Courier tokens are minted here, before
	 * any clock starts.
	 */
	List<Map<String, String>> connectHeaders(Target target, int count, IntFunction<String> user,
			IntFunction<List<String>> orders) {
		List<Map<String, String>> all = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			all.add(connectHeaders(target, user.apply(i), orders.apply(i)));
		}
		return all;
	}

	Opened open(URI url, List<Map<String, String>> allHeaders, int concurrency, StompSession.Listener listener,
			Duration timeout) throws InterruptedException {
		int count = allHeaders.size();
		Semaphore inFlight = new Semaphore(concurrency);
		List<StompSession> sessions = new ArrayList<>(count);
		long deadline = System.nanoTime() + timeout.toNanos();
		long start = System.nanoTime();
		for (int i = 0; i < count; i++) {
			Map<String, String> connectHeaders = allHeaders.get(i);
			long left = deadline - System.nanoTime();
			if (left <= 0 || !inFlight.tryAcquire(left, TimeUnit.NANOSECONDS)) {
				break;
			}
			StompSession session = StompSession.connect(this.http, url, connectHeaders, HEARTBEAT, this.scheduler,
					listener);
			session.connected().whenComplete((frame, ex) -> inFlight.release());
			sessions.add(session);
		}
		List<String> errors = new ArrayList<>();
		int failed = count - sessions.size();
		long end = start;
		for (StompSession session : sessions) {
			try {
				long left = Math.max(1, deadline - System.nanoTime());
				session.connected().get(left, TimeUnit.NANOSECONDS);
			}
			catch (Exception ex) {
				failed++;
				if (errors.size() < 5) {
					errors.add((session.error() != null) ? session.error() : ex.toString());
				}
			}
		}
		end = System.nanoTime();
		return new Opened(sessions, failed, errors, end - start);
	}

	/** Subscribes every session and waits for the receipts; returns how many failed. */
	int subscribeAll(List<StompSession> sessions, IntFunction<String> destination, Duration timeout) {
		return subscribeAll(sessions, destination, Map.of(), timeout);
	}

	/** As above, each SUBSCRIBE with {@code extraHeaders} too. */
	int subscribeAll(List<StompSession> sessions, IntFunction<String> destination, Map<String, String> extraHeaders,
			Duration timeout) {
		List<CompletableFuture<Void>> receipts = new ArrayList<>(sessions.size());
		for (int i = 0; i < sessions.size(); i++) {
			receipts.add(sessions.get(i).subscribe(destination.apply(i), extraHeaders));
		}
		int failed = 0;
		long deadline = System.nanoTime() + timeout.toNanos();
		for (CompletableFuture<Void> receipt : receipts) {
			try {
				receipt.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (Exception ex) {
				failed++;
			}
		}
		return failed;
	}

	void closeAll(List<StompSession> sessions) {
		sessions.forEach(StompSession::disconnect);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		for (StompSession session : sessions) {
			try {
				session.closed().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (Exception ex) {
				session.close();
			}
		}
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
		this.loop.disposeLater().block(Duration.ofSeconds(10));
	}

}
