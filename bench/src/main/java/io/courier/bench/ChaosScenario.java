package io.courier.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.courier.bench.stomp.StompFrame;
import io.courier.bench.stomp.StompSession;

/**
 * {@code chaos}: two gateway processes on one RabbitMQ, order events published over HTTP
 * (to either node) and AMQP (with publisher confirms) for T seconds, STOMP clients that
 * resume with {@code courier-since} and SSE clients that resume with
 * {@code Last-Event-ID}, both reconnecting to the other node whenever they are dropped;
 * meanwhile a gateway is killed with SIGKILL and started again, RabbitMQ is stopped and
 * started ({@code rabbitmqctl stop_app/start_app}), and some client sockets are cut. Only
 * what RabbitMQ confirmed counts as accepted (HTTP 202, an AMQP confirm); each client
 * must receive every accepted event of its order exactly once, in order. Reported per
 * transport: accepted, lost, duplicated, out of order, resets, drops and the longest time
 * from a drop to subscribed again; then the reconnects.
 *
 * <p>
 * With {@code --broker cluster} the gateways use the three nodes of
 * {@code rabbitmq/cluster.sh} (AMQP and the relay spread over them) and the only fault is
 * a broker node killed with SIGKILL (by default the leader of
 * {@code courier.order-events}) at a quarter of the run and started again at
 * {@code 55 %}; reported besides: the events accepted while it was down and the nodes
 * running at the end.
 */
final class ChaosScenario {

	private static final String[] NODES = { "chaos-a", "chaos-b" };

	private final BenchContext context;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<Process> gateways = new java.util.concurrent.CopyOnWriteArrayList<>(
			java.util.Arrays.asList(new Process[2]));

	private final AtomicInteger reconnects = new AtomicInteger();

	private volatile boolean stopping;

	private int basePort;

	private Path keyDir;

	private Path jar;

	private Path logDir;

	private @org.jspecify.annotations.Nullable BrokerCluster cluster;

	private List<String> gatewayArgs = List.of();

	/** Publishing while a broker node is down: events accepted then are counted. */
	private volatile boolean outage;

	private final AtomicLong acceptedDuringOutage = new AtomicLong();

	private volatile String clusterReport = "";

	/** When the broker came back (System.nanoTime), 0 before. */
	private volatile long restartedAt;

	/** The fault schedule has ended, as planned or not. */
	private volatile boolean faultsOver;

	private volatile List<Subscriber> subscribers = List.of();

	ChaosScenario(BenchContext context) {
		this.context = context;
	}

	void run() throws Exception {
		BenchOptions options = this.context.options;
		int stompUsers = options.integer("stomp-users", 20, 1, 1000);
		int sseUsers = options.integer("sse-users", 10, 0, 1000);
		int topicUsers = options.integer("topic-users", 0, 0, 1000);
		int rate = options.integer("rate", 40, 1, 1000);
		int seconds = options.integer("duration", 60, 20, BenchOptions.MAX_SECONDS);
		this.basePort = options.integer("base-port", 18180, 1024, 60000);
		this.jar = Path.of(options.string("gateway-jar", "app/target/courier-gateway-0.1.0-SNAPSHOT.jar"));
		this.keyDir = Files.createDirectories(Path.of(options.string("key-dir", "data/chaos/keys")));
		this.logDir = Files.createDirectories(Path.of(options.string("log-dir", "data/chaos")));
		if ("cluster".equals(options.string("broker", "single"))) {
			this.cluster = new BrokerCluster(Path.of(options.string("cluster-script", "rabbitmq/cluster.sh")));
		}
		String extra = options.string("gateway-args", "");
		this.gatewayArgs = extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
		if (!Files.isRegularFile(this.jar)) {
			throw new IllegalArgumentException("no gateway jar at " + this.jar + " (mvn -DskipTests package)");
		}
		String run = "chaos" + System.currentTimeMillis() % 100_000;
		try {
			start(0);
			awaitHealthy(0);
			start(1);
			awaitHealthy(1);
			String service = mint("user=" + run + "-service&scope=orders:publish");
			List<StompUser> stomp = stompUsers(run + "-s", stompUsers, true);
			List<StompUser> topic = stompUsers(run + "-t", topicUsers, false);
			List<SseUser> sse = new ArrayList<>();
			for (int i = 0; i < sseUsers; i++) {
				SseUser user = new SseUser(run + "-e" + i, run + "-eo" + i);
				user.token = mint("user=" + user.name + "&orders=" + user.order);
				sse.add(user);
				Thread thread = new Thread(() -> user.loop(), "chaos-sse-" + i);
				thread.setDaemon(true);
				thread.start();
			}
			List<Subscriber> all = new ArrayList<>(stomp);
			all.addAll(sse);
			all.addAll(topic);
			this.subscribers = all;
			awaitAll(all, Subscriber::ready, System.currentTimeMillis() + 20_000, 200);
			this.context.out.println("chaos: " + all.stream().filter(Subscriber::ready).count() + "/" + all.size()
					+ " clients subscribed; publishing " + rate + "/s for " + seconds + " s with faults");
			int killNode = options.integer("kill-node", 0, 0, BrokerCluster.NODES);
			Runnable schedule = (this.cluster != null) ? () -> brokerNodeFaults(seconds, killNode)
					: () -> faults(seconds, stomp);
			Thread faults = new Thread(() -> {
				try {
					schedule.run();
				}
				finally {
					this.faultsOver = true;
				}
			}, "chaos-faults");
			faults.setDaemon(true);
			faults.start();
			publish(service, all, rate, seconds);
			faults.join(TimeUnit.SECONDS.toMillis(seconds + 60));
			// catching up: every history client resumes and gets what it missed (topic
			// clients cannot: what they missed is reported, and waiting for it would only
			// run into the deadline)
			List<Subscriber> history = new ArrayList<>(stomp);
			history.addAll(sse);
			long deadline = System.currentTimeMillis() + 60_000;
			awaitAll(history, Subscriber::complete, deadline, 500);
			// what is still in flight to the topic clients: not counted as missed
			awaitAll(topic, Subscriber::complete, Math.min(deadline, System.currentTimeMillis() + 2_000), 200);
			report(stomp, sse);
			reportTopics(topic);
		}
		finally {
			this.stopping = true;
			for (int i = 0; i < 2; i++) {
				stop(i);
			}
		}
	}

	/**
	 * {@code count} STOMP users, each following its own order, connected alternately to
	 * the two nodes.
	 */
	private List<StompUser> stompUsers(String prefix, int count, boolean history) throws Exception {
		List<StompUser> users = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			StompUser user = new StompUser(prefix + i, prefix + "o" + i, history);
			user.token = mint("user=" + user.name + "&orders=" + user.order);
			users.add(user);
			user.connect(i % 2);
		}
		return users;
	}

	// ---- gateways

	private void start(int node) throws IOException {
		int port = this.basePort + 2 * node;
		String issuer = "http://127.0.0.1:" + this.basePort + "/dev";
		Path log = this.logDir.resolve(NODES[node] + ".log");
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", this.jar.toString(),
				"--spring.profiles.active=dev", "--server.port=" + port, "--management.server.port=" + (port + 1),
				"--courier.node-id=" + NODES[node], "--courier.dev.key-dir=" + this.keyDir,
				"--courier.dev.issuer=" + issuer, "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer,
				"--courier.limits.handshake-rate=100000", "--courier.limits.handshake-burst=100000",
				"--courier.limits.sessions-per-user=1000"));
		if (this.cluster != null) {
			command.addAll(List.of("--spring.rabbitmq.addresses=" + BrokerCluster.amqpAddresses(),
					"--spring.rabbitmq.address-shuffle-mode=random",
					"--courier.relay.addresses=" + BrokerCluster.stompAddresses()));
		}
		command.addAll(this.gatewayArgs);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		this.gateways.set(node, process);
	}

	private void stop(int node) {
		Process process = this.gateways.get(node);
		if (process != null) {
			process.destroy();
			try {
				if (!process.waitFor(20, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void awaitHealthy(int node) throws Exception {
		URI health = URI.create("http://127.0.0.1:" + (this.basePort + 2 * node + 1) + "/actuator/health");
		long deadline = System.currentTimeMillis() + 90_000;
		while (System.currentTimeMillis() < deadline) {
			try {
				HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(health).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not up yet
			}
			Thread.sleep(300);
		}
		throw new IllegalStateException(
				NODES[node] + " not healthy within 90 s; see " + this.logDir.resolve(NODES[node] + ".log"));
	}

	private String url(int node, String path) {
		return "http://127.0.0.1:" + (this.basePort + 2 * node) + path;
	}

	private String mint(String query) throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create(url(0, "/dev/tokens?" + query)))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		String body = response.body();
		int start = body.indexOf("\"token\":\"") + 9;
		return body.substring(start, body.indexOf('"', start));
	}

	// ---- faults

	private void faults(int seconds, List<StompUser> stomp) {
		try {
			Thread.sleep(seconds * 250L);
			this.context.out.println("chaos: SIGKILL " + NODES[0]);
			this.gateways.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			Thread.sleep(3_000);
			start(0);
			awaitHealthy(0);
			this.context.out.println("chaos: " + NODES[0] + " back");
			Thread.sleep(Math.max(0, seconds * 250L - 3_000));
			this.context.out.println("chaos: rabbitmqctl stop_app");
			rabbitmqctl("stop_app");
			Thread.sleep(5_000);
			rabbitmqctl("start_app");
			rabbitmqctl("await_startup");
			restarted();
			this.context.out.println("chaos: RabbitMQ back");
			Thread.sleep(seconds * 150L);
			this.context.out.println("chaos: cutting " + Math.min(5, stomp.size()) + " STOMP sockets");
			for (int i = 0; i < Math.min(5, stomp.size()); i++) {
				StompSession session = stomp.get(i).session;
				if (session != null) {
					session.close();
				}
			}
		}
		catch (Exception ex) {
			this.context.out.println("chaos: fault schedule failed: " + ex);
		}
	}

	/**
	 * The cluster's fault: node {@code node} (0: the leader of courier.order-events) is
	 * killed at 25 % and started again at 55 %.
	 */
	private void brokerNodeFaults(int seconds, int node) {
		BrokerCluster cluster = this.cluster;
		try {
			Thread.sleep(seconds * 250L);
			int victim = (node != 0) ? node : cluster.leaderOf("courier", "courier.order-events");
			victim = (victim != 0) ? victim : 1;
			int members = queueMembers(cluster, victim);
			this.context.out.println("chaos: SIGKILL of broker node " + BrokerCluster.nodeName(victim));
			cluster.kill(victim);
			this.outage = true;
			Thread.sleep(seconds * 300L);
			this.context.out.println("chaos: starting " + BrokerCluster.nodeName(victim) + " again");
			cluster.start(victim);
			this.outage = false;
			restarted();
			List<String> running = cluster.runningNodes(victim);
			this.context.out.println("chaos: " + BrokerCluster.nodeName(victim) + " back; running " + running);
			this.clusterReport = ",\"killed\":\"" + BrokerCluster.nodeName(victim) + "\",\"running_after\":"
					+ running.size() + ",\"queue_members_before\":" + members;
		}
		catch (Exception ex) {
			this.context.out.println("chaos: fault schedule failed: " + ex);
		}
	}

	/**
	 * On how many nodes {@code courier.order-events} has a member, asked of a node that
	 * stays up; -1 (reported, never a reason to skip the fault) if that cannot be read.
	 */
	private int queueMembers(BrokerCluster cluster, int victim) {
		try {
			int members = cluster.membersOf((victim == 1) ? 2 : 1, "courier", "courier.order-events");
			this.context.out.println("chaos: courier.order-events has members on " + members + " nodes");
			return members;
		}
		catch (Exception ex) {
			this.context.out.println("chaos: courier.order-events' members not readable: " + ex);
			return -1;
		}
	}

	/** Until every client is in {@code state}, or {@code until} (currentTimeMillis). */
	private static void awaitAll(List<? extends Subscriber> clients, Predicate<Subscriber> state, long until,
			long pollMillis) throws InterruptedException {
		while (System.currentTimeMillis() < until && !clients.stream().allMatch(state)) {
			Thread.sleep(pollMillis);
		}
	}

	/** The broker is back: events published from now on must reach every client. */
	private void restarted() {
		this.subscribers.forEach(Subscriber::markRestarted);
		this.restartedAt = System.nanoTime();
	}

	/**
	 * Whether to go on publishing after the planned count: until the fault schedule is
	 * over and {@code tail} has passed since the broker came back, so that a broker node
	 * slow to start still leaves time to see every client receive again.
	 */
	private boolean tailPending(long tail) {
		if (!this.faultsOver) {
			return true;
		}
		long restarted = this.restartedAt;
		return restarted != 0 && System.nanoTime() - restarted < tail;
	}

	private static void rabbitmqctl(String command) throws Exception {
		Process process = new ProcessBuilder("rabbitmqctl", command).redirectErrorStream(true).start();
		process.getInputStream().readAllBytes();
		if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("rabbitmqctl " + command + " failed");
		}
	}

	// ---- publisher

	private void publish(String serviceToken, List<Subscriber> all, int rate, int seconds) throws Exception {
		long interval = 1_000_000_000L / rate;
		long start = System.nanoTime();
		long total = (long) rate * seconds;
		long tail = TimeUnit.SECONDS.toNanos(Math.max(5, seconds / 10));
		long hardEnd = start + TimeUnit.SECONDS.toNanos(seconds + 60);
		Connection amqp = null;
		Channel channel = null;
		long k = 0;
		for (; k < total || (tailPending(tail) && System.nanoTime() < hardEnd); k++) {
			long due = start + k * interval;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			Subscriber target = all.get((int) (k % all.size()));
			long seq = target.nextSeq();
			String body = BenchPayload.orderEvent(target.order(), target.name(), seq, System.nanoTime());
			boolean accepted;
			if (k % 2 == 0) {
				accepted = postEvent(serviceToken, (int) ((k / 2) % 2), target.order(), body);
			}
			else {
				try {
					if (channel == null || !channel.isOpen()) {
						if (amqp != null) {
							amqp.abort();
						}
						amqp = (this.cluster != null) ? this.context.amqp(BrokerCluster.amqp()) : this.context.amqp();
						channel = amqp.createChannel();
						channel.confirmSelect();
					}
					channel.basicPublish("courier.orders", "order." + target.order(),
							new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
							body.getBytes(StandardCharsets.UTF_8));
					accepted = channel.waitForConfirms(5_000);
				}
				catch (Exception ex) {
					accepted = false;
					channel = null;
				}
			}
			target.published(seq, accepted);
			if (accepted && this.outage) {
				this.acceptedDuringOutage.incrementAndGet();
			}
			target.how.put(seq,
					((k % 2 == 0) ? "http" : "amqp") + "@" + (System.nanoTime() - start) / 1_000_000 + "ms");
		}
		if (amqp != null && amqp.isOpen()) {
			amqp.close();
		}
		long restarted = this.restartedAt;
		this.context.out.println("chaos: published " + k + " events in " + (System.nanoTime() - start) / 1_000_000
				+ " ms"
				+ ((restarted != 0)
						? ", the last " + (System.nanoTime() - restarted) / 1_000_000 + " ms after the broker came back"
						: "; the broker was not seen back"));
	}

	private boolean postEvent(String token, int node, String order, String body) {
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(url(node, "/api/orders/" + order + "/events")))
					.header("Authorization", "Bearer " + token)
					.header("Content-Type", "application/json")
					.timeout(Duration.ofSeconds(10))
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 202;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	// ---- subscribers

	/**
	 * One user following one order: what was published for it, what it received, in which
	 * order.
	 */
	private abstract class Subscriber {

		final String name;

		final String order;

		final AtomicLong seqs = new AtomicLong();

		final Map<Long, Boolean> accepted = new ConcurrentHashMap<>();

		/**
		 * When each event was published, ms since the run started, and how ("http" or
		 * "amqp").
		 */
		final Map<Long, String> how = new ConcurrentHashMap<>();

		final Map<Long, Integer> received = new ConcurrentHashMap<>();

		final AtomicLong outOfOrder = new AtomicLong();

		final AtomicLong resets = new AtomicLong();

		volatile long lastSeq = -1;

		volatile String lastId;

		volatile boolean subscribed;

		/** When its connection dropped (System.nanoTime), 0 while connected. */
		private volatile long droppedAt;

		final AtomicLong drops = new AtomicLong();

		final AtomicLong longestGapMs = new AtomicLong();

		/** The first seq published after the broker came back, -1 before. */
		private volatile long restartMark = -1;

		Subscriber(String name, String order) {
			this.name = name;
			this.order = order;
		}

		String name() {
			return this.name;
		}

		String order() {
			return this.order;
		}

		long nextSeq() {
			return this.seqs.getAndIncrement();
		}

		void published(long seq, boolean ok) {
			this.accepted.put(seq, ok);
		}

		boolean ready() {
			return this.subscribed;
		}

		void markRestarted() {
			this.restartMark = this.seqs.get();
		}

		/** Whether it received an event published after the broker came back. */
		boolean receivedAfterRestart() {
			long mark = this.restartMark;
			return mark >= 0 && this.received.keySet().stream().anyMatch((seq) -> seq >= mark);
		}

		/** Why it was dropped last, for the report of a long gap. */
		private volatile String dropReason = "";

		void dropped(String reason) {
			if (this.droppedAt == 0) {
				this.dropReason = reason;
				this.droppedAt = System.nanoTime();
				this.drops.incrementAndGet();
			}
		}

		/** Subscribed (again): the gap since the drop, if there was one. */
		void resubscribed() {
			this.subscribed = true;
			long dropped = this.droppedAt;
			if (dropped != 0) {
				this.droppedAt = 0;
				long gap = (System.nanoTime() - dropped) / 1_000_000;
				this.longestGapMs.accumulateAndGet(gap, Math::max);
				if (gap > 5_000) {
					ChaosScenario.this.context.out.println("chaos: " + this.name + " subscribed again " + gap
							+ " ms after a drop (" + this.dropReason + ")");
				}
			}
		}

		boolean complete() {
			return this.accepted.entrySet()
				.stream()
				.filter(Map.Entry::getValue)
				.allMatch((e) -> this.received.containsKey(e.getKey()));
		}

		void onEvent(String id, String body) {
			if (id != null) {
				this.lastId = id;
			}
			long[] fields = BenchPayload.parse(body.getBytes(StandardCharsets.UTF_8));
			if (fields == null || !body.contains("\"orderId\":\"" + this.order + "\"")) {
				return;
			}
			long seq = fields[0];
			if (this.received.merge(seq, 1, Integer::sum) == 1) {
				if (seq < this.lastSeq) {
					this.outOfOrder.incrementAndGet();
				}
				this.lastSeq = Math.max(this.lastSeq, seq);
			}
		}

	}

	private final class StompUser extends Subscriber implements StompSession.Listener {

		String token;

		volatile StompSession session;

		/**
		 * Follows its order with history ids (/user/queue/order-updates, courier-since),
		 * or else on the relay's path (/topic/orders.{id}, no ids, no resume).
		 */
		private final boolean history;

		StompUser(String name, String order, boolean history) {
			super(name, order);
			this.history = history;
		}

		void connect(int node) {
			if (ChaosScenario.this.stopping) {
				return;
			}
			URI ws = URI.create("ws://127.0.0.1:" + (ChaosScenario.this.basePort + 2 * node) + "/ws");
			StompSession session = StompSession.connect(ChaosScenario.this.context.http, ws,
					Map.of("Authorization", "Bearer " + this.token), BenchContext.HEARTBEAT,
					ChaosScenario.this.context.scheduler, this);
			this.session = session;
			session.connected().thenRun(() -> {
				String since = this.lastId;
				if (!this.history) {
					session.subscribe("/topic/orders." + this.order, Map.of()).thenRun(this::resubscribed);
					return;
				}
				session
					.subscribe("/user/queue/order-updates",
							(since != null) ? Map.of("courier-since", since) : Map.of("courier-last", "1"))
					.thenRun(this::resubscribed);
			});
			session.closed().whenComplete((reason, ex) -> {
				if (!ChaosScenario.this.stopping) {
					dropped((ex != null) ? ex.toString() : String.valueOf(reason));
					ChaosScenario.this.reconnects.incrementAndGet();
					ChaosScenario.this.context.scheduler.schedule(() -> connect(1 - node), 500, TimeUnit.MILLISECONDS);
				}
			});
		}

		@Override
		public void onMessage(StompSession session, StompFrame message) {
			if (message.header("courier-reset") != null) {
				this.resets.incrementAndGet();
				this.lastId = message.header("courier-id");
				return;
			}
			if (message.header("courier-retained") != null) {
				this.lastId = message.header("courier-id");
				return; // an earlier run's
			}
			onEvent(message.header("courier-id"), new String(message.body(), StandardCharsets.UTF_8));
		}

		/**
		 * The RECEIPT of a history subscription says where it starts: the position until
		 * a message comes.
		 */
		@Override
		public void onReceipt(StompSession session, StompFrame receipt) {
			String position = receipt.header("courier-id");
			if (this.lastId == null && position != null) {
				this.lastId = position;
			}
		}

		@Override
		public void onError(StompSession session, String reason) {
		}

	}

	private final class SseUser extends Subscriber {

		String token;

		SseUser(String name, String order) {
			super(name, order);
		}

		void loop() {
			int node = 0;
			while (!ChaosScenario.this.stopping) {
				try {
					HttpRequest.Builder request = HttpRequest
						.newBuilder(URI.create(url(node, "/sse?dest=%2Fuser%2Fqueue%2Forder-updates")))
						.header("Authorization", "Bearer " + this.token)
						.header("Accept", "text/event-stream");
					if (this.lastId != null) {
						request.header("Last-Event-ID", this.lastId);
					}
					HttpResponse<java.io.InputStream> response = ChaosScenario.this.http.send(request.build(),
							HttpResponse.BodyHandlers.ofInputStream());
					if (response.statusCode() == 200) {
						read(response.body());
					}
				}
				catch (IOException ex) {
					// dropped: resume on the other node
				}
				catch (InterruptedException ex) {
					return;
				}
				if (!ChaosScenario.this.stopping) {
					dropped("SSE stream ended");
					ChaosScenario.this.reconnects.incrementAndGet();
					node = 1 - node;
					try {
						Thread.sleep(500);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}
		}

		private void read(java.io.InputStream in) throws IOException {
			try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
				String id = null;
				String event = null;
				StringBuilder data = new StringBuilder();
				String line;
				while ((line = lines.readLine()) != null && !ChaosScenario.this.stopping) {
					if (line.isEmpty()) {
						if ("subscribed".equals(event)) {
							resubscribed();
							if (this.lastId == null) {
								this.lastId = id;
							}
						}
						else if ("reset".equals(event)) {
							this.resets.incrementAndGet();
							this.lastId = id;
						}
						else if (event != null && event.startsWith("/user/")) {
							onEvent(id, data.toString());
						}
						id = null;
						event = null;
						data.setLength(0);
					}
					else if (line.startsWith("id: ")) {
						id = line.substring(4);
					}
					else if (line.startsWith("event: ")) {
						event = line.substring(7);
					}
					else if (line.startsWith("data: ")) {
						data.append(line.substring(6));
					}
				}
			}
		}

	}

	// ---- report

	/**
	 * Clients on the relay's path: what they missed is reported, not a failure (no ids to
	 * resume from), but each must get events again after the broker came back.
	 */
	private void reportTopics(List<StompUser> topic) {
		if (topic.isEmpty()) {
			return;
		}
		long accepted = 0;
		long missed = 0;
		for (StompUser user : topic) {
			for (Map.Entry<Long, Boolean> event : user.accepted.entrySet()) {
				if (event.getValue()) {
					accepted++;
					missed += user.received.containsKey(event.getKey()) ? 0 : 1;
				}
			}
		}
		long receiving = topic.stream().filter(Subscriber::receivedAfterRestart).count();
		this.context.out.println("RESULT {\"scenario\":\"chaos\",\"transport\":\"topic\",\"clients\":" + topic.size()
				+ ",\"accepted\":" + accepted + ",\"missed\":" + missed + ",\"receiving_after_restart\":" + receiving
				+ ",\"drops\":" + topic.stream().mapToLong((u) -> u.drops.get()).sum() + "}");
	}

	private void report(List<StompUser> stomp, List<SseUser> sse) {
		for (Map.Entry<String, List<? extends Subscriber>> transport : Map.of("stomp", stomp, "sse", sse).entrySet()) {
			long accepted = 0;
			long refused = 0;
			long lost = 0;
			long duplicated = 0;
			long outOfOrder = 0;
			long resets = 0;
			long drops = 0;
			long longestGap = 0;
			for (Subscriber user : transport.getValue()) {
				drops += user.drops.get();
				longestGap = Math.max(longestGap, user.longestGapMs.get());
				for (Map.Entry<Long, Boolean> event : user.accepted.entrySet()) {
					if (!event.getValue()) {
						refused++;
						continue;
					}
					accepted++;
					Integer times = user.received.get(event.getKey());
					if (times == null) {
						lost++;
						if (lost <= 10) {
							this.context.out.println("chaos: lost " + user.name + " seq " + event.getKey() + " ("
									+ user.how.get(event.getKey()) + "), last id " + user.lastId + ", received "
									+ new java.util.TreeSet<>(user.received.keySet()));
						}
					}
					else if (times > 1) {
						duplicated += times - 1;
					}
				}
				outOfOrder += user.outOfOrder.get();
				resets += user.resets.get();
			}
			this.context.out.println("RESULT {\"scenario\":\"chaos\",\"transport\":\"" + transport.getKey()
					+ "\",\"clients\":" + transport.getValue().size() + ",\"accepted\":" + accepted
					+ ",\"not_accepted\":" + refused + ",\"lost\":" + lost + ",\"duplicated\":" + duplicated
					+ ",\"out_of_order\":" + outOfOrder + ",\"resets\":" + resets + ",\"drops\":" + drops
					+ ",\"longest_reconnect_ms\":" + longestGap + "}");
		}
		this.context.out.println("RESULT {\"scenario\":\"chaos\",\"reconnects\":" + this.reconnects.get()
				+ ((this.cluster != null)
						? ",\"accepted_during_outage\":" + this.acceptedDuringOutage.get() + this.clusterReport : "")
				+ "}");
	}

}
