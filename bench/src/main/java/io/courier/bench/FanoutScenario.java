package io.courier.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.courier.bench.floor.FloorServer;
import io.courier.bench.metrics.ProcessProbe;

/**
 * {@code fanout}: N sessions subscribe {@code /topic/public.bench}; an open-loop
 * publisher sends R msg/s for T seconds over AMQP to {@code amq.topic} key
 * {@code public.bench} (Courier and direct: the same broker, the same message), or
 * through the floor server's broadcast. Reports delivered msg/s, lost, duplicated,
 * out-of-order, latency percentiles and CPU per delivery per process.
 */
final class FanoutScenario {

	static final String DESTINATION = "/topic/public.bench";

	static final String ROUTING_KEY = "public.bench";

	/** Most warm-up sets of new sessions ({@code --warmup-sets}). */
	static final int MAX_WARMUP_SETS = 10;

	private final BenchContext context;

	FanoutScenario(BenchContext context) {
		this.context = context;
	}

	/** One fan-out measurement: N subscribers, R msg/s for T s, B byte bodies. */
	@FunctionalInterface
	interface Load {

		Result run(Target target, int subscribers, int rate, Duration duration, int payload) throws Exception;

	}

	void run() throws Exception {
		if (this.context.options.flag("cold")) {
			new ColdStart(this.context, this).run();
			return;
		}
		run("fanout", "", this::run);
	}

	/**
	 * Reads the fan-out options and runs {@code load} for every rate, in rounds;
	 * {@code how} ends the title.
	 */
	void run(String scenario, String how, Load load) throws Exception {
		BenchOptions options = this.context.options;
		int subscribers = options.integer("subscribers", 100, 1, BenchOptions.MAX_SESSIONS);
		Duration duration = options.seconds("duration", 30);
		int payload = options.integer("payload", 128, 48, 60_000);
		int warmup = options.integer("warmup", 0, 0, BenchOptions.MAX_SECONDS);
		int warmupSets = options.integer("warmup-sets", 1, 1, MAX_WARMUP_SETS);
		for (int rate : options.integers("rate", 50, 1, 100_000)) {
			// A warm-up is the same load on sessions of its own, not reported: JIT
			// compilation and first-use costs
			// (the gateway's, the floor's in this JVM) stay out of the measured window.
			// With --warmup-sets K it runs
			// K times on new sessions each: a set of N sessions takes the connect,
			// subscribe and close paths only N
			// times, so those paths are still being compiled when the next set arrives.
			Rounds.run(this.context,
					scenario + " " + subscribers + " subscribers x " + rate + " msg/s x " + duration.toSeconds()
							+ " s, " + payload + " B bodies" + how + warmupTitle(warmup, warmupSets),
					(target) -> load.run(target, subscribers, rate, duration, payload),
					(warmup > 0)
							? (target) -> warmUp(target, warmupSets,
									() -> load.run(target, subscribers, rate, Duration.ofSeconds(warmup), payload))
							: null);
		}
	}

	private static String warmupTitle(int seconds, int sets) {
		if (seconds == 0) {
			return "";
		}
		return (sets == 1) ? ", after a " + seconds + " s warm-up"
				: ", after " + sets + " warm-ups of " + seconds + " s, new sessions each";
	}

	/**
	 * Runs a warm-up {@code sets} times, each on new sessions, and says so (its results
	 * are dropped).
	 */
	Result warmUp(Target target, int sets, Callable<Result> set) throws Exception {
		Result last = null;
		for (int i = 1; i <= sets; i++) {
			last = set.call();
			this.context.out.println("warm-up " + i + " of " + sets + " on " + target.label() + ": delivered "
					+ last.get("delivered") + " of " + last.get("expected"));
		}
		return last;
	}

	Result run(Target target, int subscribers, int rate, Duration duration, int payload) throws Exception {
		return run(target, subscribers, rate, duration, payload, 0, -1);
	}

	/**
	 * As above; with {@code windowSeconds > 0} also per window of that many seconds
	 * ({@link Windows}), and with a {@code gatewayPid} the gateway measured is that
	 * process (else the listener of the Courier port).
	 */
	Result run(Target target, int subscribers, int rate, Duration duration, int payload, int windowSeconds,
			long gatewayPid) throws Exception {
		Result result = new Result("fanout", target);
		result.put("subscribers", subscribers).put("rate", rate).put("duration_s", duration.toSeconds());
		if (target == Target.COURIER && this.context.options.flag("history")) {
			result.put("path", "history (courier-last)");
		}
		// results of a warm-up run are dropped by the caller
		long total = (long) rate * duration.toSeconds();
		Receivers receivers = new Receivers(1_000_000_000L / rate);
		FloorServer floor = (target == Target.FLOOR) ? new FloorServer(0) : null;
		Connection amqp = (target != Target.FLOOR) ? this.context.amqp() : null;
		try {
			List<Map<String, String>> headers = this.context.connectHeaders(target, subscribers,
					(i) -> "bench-fanout-" + i, (i) -> List.of());
			BenchContext.Opened opened = this.context.open(this.context.url(target, (floor != null) ? floor.port() : 0),
					headers, 200, receivers, Duration.ofSeconds(120));
			List<io.courier.bench.stomp.StompSession> sessions = opened.connected();
			// --history: Courier's subscriptions ask for courier-last, so they are served
			// from the history stream
			// with ids (what resuming clients use) instead of the relay's node queue
			Map<String, String> subscribeHeaders = (target == Target.COURIER && this.context.options.flag("history"))
					? Map.of("courier-last", "1") : Map.of();
			int subscribeFailures = this.context.subscribeAll(sessions, (i) -> DESTINATION, subscribeHeaders,
					Duration.ofSeconds(60));
			Thread.sleep(500);
			long gateway = (target != Target.COURIER) ? -1 : (gatewayPid > 0) ? gatewayPid : this.context.gatewayPid();
			long[] beamPids = (target == Target.FLOOR) ? new long[] { -1 } : this.context.beamPids();
			long beamPid = beamPids[0];
			Windows windows = (windowSeconds > 0)
					? new Windows(windowSeconds, rate, duration.toSeconds(), 1_000_000_000L / rate) : null;
			if (windows != null) {
				receivers.windows(windows);
				windows.start(gateway, beamPid, receivers.received::get);
			}
			CpuWindow cpu = new CpuWindow(gateway, beamPids);
			if (floor != null) {
				cpu.withFloorServer();
			}
			cpu.start();
			OpenLoopPublisher publisher = new OpenLoopPublisher();
			long published;
			if (floor != null) {
				published = publisher.run(total, rate,
						(seq, t) -> floor.broadcast(BenchPayload.fanout(seq, t, payload)));
			}
			else {
				Channel channel = amqp.createChannel();
				AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("text/plain").build();
				published = publisher.run(total, rate, (seq, t) -> channel.basicPublish("amq.topic", ROUTING_KEY, props,
						BenchPayload.fanout(seq, t, payload).getBytes(StandardCharsets.UTF_8)));
			}
			receivers.drain(published * sessions.size());
			cpu.stop();
			if (windows != null) {
				windows.stop();
			}
			receivers.stopRecording();
			receivers.report(result, sessions, (s) -> (int) published);
			receivers.reportRun(result, publisher, cpu, published, opened, subscribeFailures);
			if (windows != null) {
				windows.report(result);
			}
			this.context.closeAll(opened.sessions());
		}
		finally {
			if (amqp != null) {
				amqp.close();
			}
			if (floor != null) {
				floor.close();
			}
		}
		return result;
	}

}
