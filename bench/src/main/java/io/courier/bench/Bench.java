package io.courier.bench;

import java.io.PrintStream;
import java.util.List;

import io.courier.bench.metrics.ProcessProbe;

/**
 * Runs one scenario against the chosen targets and prints its report. Usable from tests:
 * no {@code System.exit}.
 */
final class Bench {

	static final String USAGE = """
			usage: bench <scenario> [options]
			  fanout         --subscribers N --rate R[,R2,...] --duration T [--payload BYTES] [--warmup W] [--history]
			                 [--warmup-sets K] (the warm-up K <= 10 times, new sessions each; default 1)
			                 (--history: Courier's SUBSCRIBEs carry courier-last, served from history with ids)
			  fanout --cold  [--window S] [--warm-after S2] [--bench-warmup S3] [--gateway-java PATH] [--gateway-jar JAR]
			                 [--gateway-jvm-opts "OPTS"] [--gateway-args "ARGS"] [--management-port P]
			                 (each Courier round on a fresh gateway started here from the jar with bench/run.sh's
			                 flags, subscribers in as soon as /actuator/health/readiness is UP; p50/p99 and CPU per
			                 delivery per S s window (default 5) from the first publish, start-to-ready time;
			                 targets courier and direct; --warm-after: S2 s more on that gateway, then warm_*;
			                 --bench-warmup: the load generator's own warm-up against direct first, default 10 s)
			  connections    --sessions N --hold T [--own-order] (sessions as the order page's: own order topic and
			                 user queue each; RabbitMQ queues, bindings and memory per session)
			  connect-storm  --sessions N --concurrency C [--warmup N2]
			                 (unreported warm-up: N2 <= 100000 sessions, storms of 2000 each closed first)
			  order-e2e      --users N --events E --rate R
			  sse-fanout     as fanout, Courier over GET /sse (direct: the same load over Web-STOMP)
			  upstream       --users N --requests E --rate R [--warmup E2] (request/reply through a backend in the bench over
			                 AMQP; courier: /app/bench.rpc, direct: /amq/queue/bench.requests + /temp-queue/)
			  chaos          [--stomp-users N] [--sse-users N] [--rate R] [--duration T] (starts two gateways itself
			                 from app/target; SIGKILL and restart of one, rabbitmqctl stop_app/start_app, cut
			                 sockets; STOMP clients resume with courier-since, SSE with Last-Event-ID)
			                 [--broker cluster [--cluster-script rabbitmq/cluster.sh] [--kill-node N]]: the gateways
			                 on rabbitmq/cluster.sh's three nodes; the only fault is a broker node SIGKILLed (default:
			                 the leader of courier.order-events) and started again. [--gateway-args "--a=b --c=d"]
			                 [--topic-users N]: STOMP clients on /topic/orders.{id} (the relay's path, no resume):
			                 what they miss is reported; each must receive again once the broker is back
			common: --target courier|direct|floor|all (default all; floor is fanout only)
			        --rounds N (default 1: every target N times, order alternating; then the medians)
			        --courier-url ws://127.0.0.1:18080/ws  --direct-url ws://127.0.0.1:15674/ws
			        --amqp-uri amqp://courier-gateway:courier-gateway@127.0.0.1:5672/courier
			        --key-dir DIR (the gateway's courier.dev.key-dir, to mint tokens)  [--issuer URL]
			        --gateway-pid PID (default: the listener of the courier port, from ss -ltnp)
			        --allow-remote (otherwise only loopback hosts are accepted)
			caps: T <= 300 s, N <= 25000 sessions
			""";

	private final PrintStream out;

	Bench(PrintStream out) {
		this.out = out;
	}

	void run(String... args) throws Exception {
		BenchOptions options = BenchOptions.parse(args);
		List<Target> targets = options.targets();
		if (targets.contains(Target.COURIER)) {
			List<String> others = ProcessProbe.otherJavaListeners(options.courierUrl().getPort());
			if (!others.isEmpty()) {
				this.out
					.println("note: other Java listeners on this machine (another gateway may be the active consumer "
							+ "of courier.order-events, and shares the broker): " + others);
			}
		}
		try (BenchContext context = new BenchContext(options, this.out)) {
			switch (options.scenario) {
				case "fanout" -> new FanoutScenario(context).run();
				case "connections" -> new ConnectionsScenario(context).run();
				case "connect-storm" -> new ConnectStormScenario(context).run();
				case "order-e2e" -> new OrderEndToEndScenario(context).run();
				case "sse-fanout" -> new SseFanoutScenario(context).run();
				case "upstream" -> new UpstreamScenario(context).run();
				case "chaos" -> new ChaosScenario(context).run();
				default -> throw new IllegalArgumentException("unknown scenario '" + options.scenario + "'\n" + USAGE);
			}
		}
	}

}
