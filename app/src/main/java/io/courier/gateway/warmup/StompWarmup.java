package io.courier.gateway.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.cors.CorsConfiguration;

import io.courier.gateway.node.GatewayProperties;
import io.courier.gateway.session.InternalSessions;

/**
 * Warms the STOMP path end to end with the node's own {@link InternalSessions}:
 * {@code courier.warmup.sessions} loopback sessions to this node's {@code /ws} (the real
 * handshake, CONNECT with a {@link ThrowawayIssuer} token, SUBSCRIBE with a receipt) on
 * the node's private topic {@code /topic/courier.internal.<node>.warmup-<random>}, then
 * {@code courier.warmup.messages} messages published to it through the relay, as the
 * application publishes ({@link SimpMessagingTemplate}): out to RabbitMQ, back through
 * the node queue, fanned out, encoded and written by Jetty to every session; then up to
 * {@code courier.warmup.top-ups} rounds of {@code top-up} more, each once the JIT
 * compiler has caught up ({@link #topUps}). The handshakes carry the node's own origin
 * where {@code courier.allowed-origins} accepts it, as browsers' handshakes carry theirs.
 * The topic is not kept in history and no rule opens it to clients.
 */
@Component
@Order(20)
class StompWarmup implements WarmupStep {

	private static final int BODY_BYTES = 128;

	private static final Duration STEP_TIMEOUT = Duration.ofSeconds(3);

	private static final long STALL_NANOS = Duration.ofSeconds(1).toNanos();

	private final WarmupProperties properties;

	private final InternalSessions internal;

	private final ThrowawayIssuer issuer;

	private final SimpMessagingTemplate messaging;

	private final ObjectProvider<AbstractBrokerMessageHandler> relay;

	private final String nodeId;

	private final String destination;

	private final String host;

	private final List<String> allowedOrigins;

	private volatile int port;

	StompWarmup(WarmupProperties properties, InternalSessions internal, ThrowawayIssuer issuer,
			@Lazy SimpMessagingTemplate messaging,
			@Qualifier("stompBrokerRelayMessageHandler") ObjectProvider<AbstractBrokerMessageHandler> relay,
			GatewayProperties gateway, Environment environment) {
		this.properties = properties;
		this.internal = internal;
		this.issuer = issuer;
		this.messaging = messaging;
		this.relay = relay;
		this.nodeId = gateway.nodeId();
		// this process's own topic: nodes started with the same id on one broker do not
		// hear each other's
		this.destination = InternalSessions.TOPIC_PREFIX + gateway.nodeId().replaceAll("[^A-Za-z0-9_-]", "-")
				+ ".warmup-" + Long.toHexString(ProcessHandle.current().pid()) + "-"
				+ Integer.toHexString(ThreadLocalRandom.current().nextInt());
		this.host = ownHost(environment.getProperty("server.address"));
		this.allowedOrigins = gateway.allowedOrigins();
	}

	/** The main web server's port (not the management server's). */
	@EventListener
	void onWebServer(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() == null) {
			this.port = event.getWebServer().getPort();
		}
	}

	@Override
	public String name() {
		return "stomp";
	}

	@Override
	public Map<String, Object> run(Instant deadline) throws Exception {
		Map<String, Object> counts = new LinkedHashMap<>();
		if (!awaitRelay(deadline)) {
			counts.put("skipped", "relay not connected");
			return counts;
		}
		String credential = this.internal.open(this.issuer.decoder());
		URI uri = URI.create("ws://" + this.host + ":" + this.port + "/ws");
		String origin = origin();
		AtomicLong delivered = new AtomicLong();
		List<LoopbackSession> sessions = new ArrayList<>();
		// a client of its own, dropped after (its selector thread ends with it)
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		try {
			List<String> tokens = new ArrayList<>();
			for (int i = 0; i < this.properties.sessions(); i++) {
				tokens.add(this.issuer.mint("courier-warmup." + this.nodeId + "." + i, Duration.ofMinutes(2)));
			}
			counts.put("cycles", cycles(http, uri, origin, credential, tokens, deadline, counts));
			for (String token : tokens) {
				sessions.add(LoopbackSession.open(http, uri, origin, credential, token, delivered));
			}
			List<LoopbackSession> connected = await(sessions, LoopbackSession::connected, deadline, counts, "connect");
			List<LoopbackSession> subscribed = await(connected, (s) -> s.subscribe(this.destination), deadline, counts,
					"subscribe");
			counts.put("sessions", subscribed.size());
			long sent = publish(0, this.properties.messages(), deadline);
			awaitDelivered(delivered, sent * subscribed.size(), deadline);
			counts.put("sent", sent);
			counts.put("delivered", delivered.get());
			if (!subscribed.isEmpty()) {
				topUps(delivered, subscribed.size(), sent, deadline, counts);
			}
		}
		finally {
			List<CompletableFuture<Void>> closing = sessions.stream().map(LoopbackSession::disconnect).toList();
			this.internal.close();
			try {
				CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
			}
			catch (ExecutionException | TimeoutException ex) {
				// closed or not, they are the node's own sessions and end with their
				// sockets
			}
		}
		return counts;
	}

	/**
	 * {@code courier.warmup.connects} sessions through handshake, CONNECT, SUBSCRIBE
	 * (with its node-queue binding) and DISCONNECT, {@code courier.warmup.sessions} at a
	 * time: a node's first clients arrive all at once, and those paths are compiled only
	 * after a few hundred of them. Returns how many made it.
	 */
	private int cycles(HttpClient http, URI uri, @Nullable String origin, String credential, List<String> tokens,
			Instant deadline, Map<String, Object> counts) throws InterruptedException {
		int done = 0;
		while (done < this.properties.connects() && Instant.now().isBefore(deadline)) {
			List<LoopbackSession> batch = new ArrayList<>();
			for (int i = 0; i < Math.min(tokens.size(), this.properties.connects() - done); i++) {
				batch.add(LoopbackSession.open(http, uri, origin, credential, tokens.get(i), new AtomicLong()));
			}
			List<LoopbackSession> connected = await(batch, LoopbackSession::connected, deadline, counts,
					"cycleConnect");
			await(connected, (session) -> session.subscribe(this.destination), deadline, counts, "cycleSubscribe");
			await(batch, LoopbackSession::disconnect, deadline, counts, "cycleDisconnect");
			done += batch.size();
		}
		return done;
	}

	/**
	 * The sessions whose {@code step} completed by the deadline; the first failure is
	 * counted in {@code counts}.
	 */
	private static List<LoopbackSession> await(List<LoopbackSession> sessions,
			Function<LoopbackSession, CompletableFuture<Void>> step, Instant deadline, Map<String, Object> counts,
			String name) throws InterruptedException {
		List<CompletableFuture<Void>> futures = sessions.stream().map(step).toList();
		List<LoopbackSession> done = new ArrayList<>();
		int failed = 0;
		// a session stuck on one step (a slow machine) must not take the whole warm-up's
		// time with it
		Instant stepEnd = Instant.now().plus(STEP_TIMEOUT);
		Instant until = stepEnd.isBefore(deadline) ? stepEnd : deadline;
		for (int i = 0; i < sessions.size(); i++) {
			try {
				futures.get(i).get(millisUntil(until), TimeUnit.MILLISECONDS);
				done.add(sessions.get(i));
			}
			catch (ExecutionException | TimeoutException ex) {
				if (failed++ == 0) {
					counts.put(name + "Failure", String.valueOf((ex.getCause() != null) ? ex.getCause() : ex));
				}
			}
		}
		if (failed > 0) {
			counts.put(name + "Failures", failed);
		}
		return done;
	}

	private boolean awaitRelay(Instant deadline) throws InterruptedException {
		while (Instant.now().isBefore(deadline)) {
			AbstractBrokerMessageHandler relay = this.relay.getIfAvailable();
			if (relay != null && relay.isBrokerAvailable()) {
				return true;
			}
			Thread.sleep(20);
		}
		return false;
	}

	/**
	 * {@code courier.warmup.top-ups} rounds of {@code top-up} messages more, each once
	 * the JIT compiler has caught up: while its queue is long, its thresholds are raised,
	 * and the methods the first load made hot stay a little below them in profiled code
	 * until the next load, which would be the first clients'. A round that made the
	 * compiler work less than a tenth of the round's own time ends them. Records the
	 * compile time of each round ({@code topUpCompileMs}).
	 */
	private void topUps(AtomicLong delivered, int sessions, long sent, Instant deadline, Map<String, Object> counts)
			throws InterruptedException {
		CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
		if (this.properties.topUps() == 0 || jit == null || !jit.isCompilationTimeMonitoringSupported()) {
			return;
		}
		List<Long> compileMs = new ArrayList<>();
		long total = sent;
		CompilerSettle.awaitQuiet(jit, deadline);
		for (int round = 0; round < this.properties.topUps() && Instant.now().isBefore(deadline); round++) {
			long roundStart = System.nanoTime();
			long before = jit.getTotalCompilationTime();
			total += publish(total, this.properties.topUp(), deadline);
			awaitDelivered(delivered, total * sessions, deadline);
			CompilerSettle.awaitQuiet(jit, deadline);
			long spent = jit.getTotalCompilationTime() - before;
			compileMs.add(spent);
			if (spent * 10 < (System.nanoTime() - roundStart) / 1_000_000) {
				break;
			}
		}
		counts.put("topUpCompileMs", compileMs);
		counts.put("sent", total);
		counts.put("delivered", delivered.get());
	}

	/**
	 * Waits until {@code expected} messages arrived, or none for a second (a session the
	 * node closed as a slow consumer on a loaded machine gets no more), or the deadline.
	 */
	private static void awaitDelivered(AtomicLong delivered, long expected, Instant deadline)
			throws InterruptedException {
		long seen = delivered.get();
		long progressAt = System.nanoTime();
		while (seen < expected && Instant.now().isBefore(deadline) && System.nanoTime() - progressAt < STALL_NANOS) {
			Thread.sleep(5);
			long now = delivered.get();
			if (now != seen) {
				seen = now;
				progressAt = System.nanoTime();
			}
		}
	}

	/**
	 * Publishes {@code count} messages from sequence number {@code first} at
	 * {@code courier.warmup.rate} as the application does; returns how many were sent.
	 */
	private long publish(long first, int count, Instant deadline) {
		long interval = 1_000_000_000L / this.properties.rate();
		long start = System.nanoTime();
		long sent = 0;
		while (sent < count && Instant.now().isBefore(deadline)) {
			long wait = start + sent * interval - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			String head = "{\"warmup\":" + (first + sent) + ",\"pad\":\"";
			byte[] body = (head + "x".repeat(Math.max(0, BODY_BYTES - head.length() - 2)) + "\"}")
				.getBytes(StandardCharsets.US_ASCII);
			SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create();
			headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
			headers.setLeaveMutable(true);
			this.messaging.send(this.destination, MessageBuilder.createMessage(body, headers.getMessageHeaders()));
			sent++;
		}
		return sent;
	}

	/**
	 * The node's own origin ({@code http://host:port}) when
	 * {@code courier.allowed-origins} accepts it: the warm-up's handshakes then carry an
	 * Origin header, as a browser's do, and take the origin checks clients' handshakes
	 * take. Null (no header) otherwise.
	 */
	private @Nullable String origin() {
		String origin = "http://" + this.host + ":" + this.port;
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOriginPatterns(this.allowedOrigins);
		return (cors.checkOrigin(origin) != null) ? origin : null;
	}

	private static long millisUntil(Instant deadline) {
		return Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
	}

	/**
	 * Where this node listens: its {@code server.address}, loopback when it listens on
	 * every address.
	 */
	private static String ownHost(@Nullable String address) {
		if (address == null || address.isBlank()) {
			return "127.0.0.1";
		}
		try {
			InetAddress inet = InetAddress.getByName(address);
			if (inet.isAnyLocalAddress()) {
				return "127.0.0.1";
			}
			String literal = inet.getHostAddress();
			return literal.contains(":") ? "[" + literal + "]" : literal;
		}
		catch (UnknownHostException ex) {
			return "127.0.0.1";
		}
	}

}
