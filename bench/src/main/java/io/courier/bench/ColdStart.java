package io.courier.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code fanout --cold}: every Courier round on a fresh gateway process, started here
 * from the jar ({@link GatewayProcess}, the flags of {@code bench/run.sh}); the
 * subscribers connect as soon as {@code /actuator/health/readiness} says UP, and the run
 * is reported per window of {@code --window} seconds (default 5) from the first publish
 * ({@link Windows}): p50/p99 and CPU per delivery, gateway (of it JIT) and RabbitMQ.
 * Web-STOMP direct is measured in the same rounds, alternating, the same way (its broker
 * is not restarted: RabbitMQ's cold start is not what is compared). Courier's rounds also
 * say how long the process took from its start to liveness and to readiness. With
 * {@code --warm-after S} the same gateway then carries S seconds of the same load on new
 * sessions, unreported, and one more run of {@code --duration} on new sessions gives the
 * warm figures ({@code warm_*}) to compare the first windows with. Before the first round
 * the load generator warms itself up for {@code --bench-warmup} seconds (default 10)
 * against direct, unreported: a cold load generator added tens of milliseconds to the p99
 * of whichever target came first.
 */
final class ColdStart {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

	private final BenchContext context;

	private final FanoutScenario fanout;

	private int started;

	ColdStart(BenchContext context, FanoutScenario fanout) {
		this.context = context;
		this.fanout = fanout;
	}

	void run() throws Exception {
		BenchOptions options = this.context.options;
		int subscribers = options.integer("subscribers", 100, 1, BenchOptions.MAX_SESSIONS);
		Duration duration = options.seconds("duration", 10);
		int payload = options.integer("payload", 128, 48, 60_000);
		int window = options.integer("window", 5, 1, BenchOptions.MAX_SECONDS);
		int warmAfter = options.integer("warm-after", 0, 0, BenchOptions.MAX_SECONDS);
		int benchWarmup = options.integer("bench-warmup", 10, 0, BenchOptions.MAX_SECONDS);
		for (int rate : options.integers("rate", 50, 1, 100_000)) {
			if (benchWarmup > 0) {
				// this JVM's own receive path (WebSocket, STOMP, histograms) is compiled
				// before Courier's first
				// round, or that round's latencies are partly the load generator's: the
				// same load against direct
				this.fanout.warmUp(Target.DIRECT, 1, () -> this.fanout.run(Target.DIRECT, subscribers, rate,
						Duration.ofSeconds(benchWarmup), payload, 0, -1));
			}
			String title = "fanout --cold " + subscribers + " subscribers x " + rate + " msg/s x "
					+ duration.toSeconds() + " s, " + payload + " B bodies, by " + window
					+ " s windows, a fresh gateway each Courier round"
					+ ((warmAfter > 0) ? ", warm_*: after " + warmAfter + " s more on it" : "");
			Rounds.run(this.context, title,
					(target) -> round(target, subscribers, rate, duration, payload, window, warmAfter), null);
		}
	}

	private Result round(Target target, int subscribers, int rate, Duration duration, int payload, int window,
			int warmAfter) throws Exception {
		if (target != Target.COURIER) {
			return this.fanout.run(target, subscribers, rate, duration, payload, window, -1);
		}
		BenchOptions options = this.context.options;
		Path log = Path.of(options.string("log-dir", "data/bench"), "gateway-cold-" + (++this.started) + ".log");
		try (GatewayProcess gateway = GatewayProcess.start(command(), managementPort(), log)) {
			double live = gateway.awaitHealth("liveness", READY_TIMEOUT);
			double ready = gateway.awaitHealth("readiness", READY_TIMEOUT);
			this.context.out.println(String.format(Locale.ROOT,
					"fresh gateway (pid %d, log %s): live after %.1f s, " + "ready after %.1f s", gateway.pid(), log,
					live, ready));
			Result result = this.fanout.run(target, subscribers, rate, duration, payload, window, gateway.pid());
			result.put("start_to_live_s", live).put("start_to_ready_s", ready);
			if (warmAfter > 0) {
				this.fanout.warmUp(target, 1, () -> this.fanout.run(target, subscribers, rate,
						Duration.ofSeconds(warmAfter), payload, 0, gateway.pid()));
				Result warm = this.fanout.run(target, subscribers, rate, duration, payload, 0, gateway.pid());
				for (String name : List.of("p50_ms", "p99_ms", "cpu_us_per_delivery_gateway",
						"cpu_us_per_delivery_gateway_jit", "lost")) {
					result.put("warm_" + name, warm.get(name));
				}
			}
			return result;
		}
	}

	private int managementPort() {
		return this.context.options.integer("management-port", this.context.options.courierUrl().getPort() + 1, 1,
				65535);
	}

	/**
	 * {@code bench/run.sh}'s gateway, on the Courier URL's port, with
	 * --gateway-java/-jar/-jvm-opts/-args.
	 */
	private List<String> command() {
		BenchOptions options = this.context.options;
		List<String> args = new ArrayList<>(List.of("--courier.limits.sessions-per-user=100000"));
		args.addAll(GatewayProcess.words(options.string("gateway-args", "")));
		return GatewayProcess.command(options.string("gateway-java", GatewayProcess.thisJava()),
				GatewayProcess.words(options.string("gateway-jvm-opts", "")),
				Path.of(options.string("gateway-jar", "app/target/courier-gateway-0.1.0-SNAPSHOT.jar")),
				options.courierUrl().getPort(), managementPort(),
				Path.of(options.string("key-dir", "data/bench/keys")).toAbsolutePath(), args);
	}

}
