package io.courier.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.courier.bench.metrics.ProcessProbe;
import io.courier.bench.stomp.StompSession;

/**
 * {@code connect-storm}: N sessions CONNECT (Courier: each with its own freshly minted
 * JWT, minted before the clock starts) with at most C CONNECTs in flight, as fast as they
 * are answered; sessions stay open until all are done. Reports CONNECTs/s (CONNECTED
 * frames per second of the storm), errors and CPU per CONNECT.
 */
final class ConnectStormScenario {

	static final int WARMUP_CHUNK = 2000;

	/**
	 * The warm-up's sessions are never open together (storms of {@value #WARMUP_CHUNK},
	 * each closed before the next), so its cap bounds CONNECTs, not open sockets: at
	 * ~1,000/s, under two minutes per target.
	 */
	static final int MAX_WARMUP_SESSIONS = 100_000;

	private final BenchContext context;

	ConnectStormScenario(BenchContext context) {
		this.context = context;
	}

	void run() throws Exception {
		BenchOptions options = this.context.options;
		int sessions = options.integer("sessions", 1000, 1, BenchOptions.MAX_SESSIONS);
		int concurrency = options.integer("concurrency", 50, 1, 5000);
		int warmup = options.integer("warmup", 0, 0, MAX_WARMUP_SESSIONS);
		// A warm-up storm of its own sessions, not reported: the gateway's JIT compiles
		// the handshake, security and
		// CONNECT paths during the first tens of thousands of CONNECTs (RS256
		// verification reached C2 only after more
		// than 20,000, docs/BENCHMARKS.md), and this JVM's client path too.
		Rounds.run(this.context,
				"connect-storm " + sessions + " sessions, " + concurrency + " in flight"
						+ ((warmup > 0) ? ", after a warm-up of " + warmup + " sessions" : ""),
				(target) -> run(target, sessions, concurrency),
				(warmup > 0) ? (target) -> warmUp(target, warmup, concurrency) : null);
	}

	/**
	 * Storms of at most {@value #WARMUP_CHUNK} sessions, each closed before the next: no
	 * open-file limit is hit.
	 */
	private Result warmUp(Target target, int sessions, int concurrency) throws Exception {
		Result last = null;
		for (int done = 0; done < sessions; done += WARMUP_CHUNK) {
			last = run(target, Math.min(WARMUP_CHUNK, sessions - done), concurrency);
		}
		return last;
	}

	Result run(Target target, int count, int concurrency) throws Exception {
		Result result = new Result("connect-storm", target);
		result.put("sessions", count).put("concurrency", concurrency);
		long gatewayPid = (target == Target.COURIER) ? this.context.gatewayPid() : -1;
		Receivers receivers = new Receivers(1_000_000_000L);
		List<Map<String, String>> headers = this.context.connectHeaders(target, count, (i) -> "bench-storm-" + i,
				(i) -> List.of());
		CpuWindow cpu = new CpuWindow(gatewayPid, ProcessProbe.beamPid()).start();
		BenchContext.Opened opened = this.context.open(this.context.url(target, 0), headers, concurrency, receivers,
				Duration.ofSeconds(240));
		cpu.stop();
		List<StompSession> connected = opened.connected();
		double seconds = opened.elapsedNanos() / 1e9;
		result.put("delivered", connected.size())
			.put("connects_per_s", connected.size() / seconds)
			.put("storm_s", seconds);
		cpu.report(result, "connect", connected.size());
		result.put("errors", opened.failed());
		if (!opened.errors().isEmpty()) {
			result.put("error_samples", opened.errors());
		}
		this.context.closeAll(opened.sessions());
		return result;
	}

}
