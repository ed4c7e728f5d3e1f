package io.courier.bench;

import java.util.Map;

import io.courier.bench.metrics.ProcessProbe;

/**
 * CPU time (utime + stime) of the gateway JVM, RabbitMQ's beam.smp and this load generator over a measured
 * window; a pid of -1 (not involved, or not found) yields null metrics. Of the gateway's time, the part its JIT
 * compiler threads spent is reported too: a benchmark of a few minutes still pays for compilation that a
 * gateway running for hours has long done.
 */
final class CpuWindow {

	private final long gatewayPid;

	private final long beamPid;

	private final long selfPid = ProcessHandle.current().pid();

	private long startNanos;

	private long[] start;

	private long[] used;

	private long wallNanos;

	private Map<Long, Long> gatewayJitStart = Map.of();

	private long gatewayJitUsed = -1;

	CpuWindow(long gatewayPid, long beamPid) {
		this.gatewayPid = gatewayPid;
		this.beamPid = beamPid;
	}

	CpuWindow start() {
		this.gatewayJitStart = ProcessProbe.jitCompilerCpuMicros(this.gatewayPid);
		this.start = sample();
		this.startNanos = System.nanoTime();
		return this;
	}

	CpuWindow stop() {
		long[] end = sample();
		this.wallNanos = System.nanoTime() - this.startNanos;
		Map<Long, Long> jitEnd = ProcessProbe.jitCompilerCpuMicros(this.gatewayPid);
		this.gatewayJitUsed = jitEnd.isEmpty() ? -1 : jitEnd.entrySet()
			.stream()
			.mapToLong((thread) -> thread.getValue() - this.gatewayJitStart.getOrDefault(thread.getKey(), 0L))
			.sum();
		this.used = new long[3];
		for (int i = 0; i < 3; i++) {
			this.used[i] = (end[i] < 0 || this.start[i] < 0) ? -1 : end[i] - this.start[i];
		}
		return this;
	}

	private long[] sample() {
		return new long[] { ProcessProbe.cpuMicros(this.gatewayPid), ProcessProbe.cpuMicros(this.beamPid),
				ProcessProbe.cpuMicros(this.selfPid) };
	}

	/**
	 * Adds cpu_us_per_&lt;unit&gt;_{gateway,beam,loadgen}, cpu_us_per_&lt;unit&gt;_gateway_jit (the JIT compiler
	 * threads' part of the gateway's figure) and cpu_pct_{gateway,beam,loadgen} (percent of one core).
	 */
	void report(Result result, String unit, long count) {
		String[] names = { "gateway", "beam", "loadgen" };
		for (int i = 0; i < 3; i++) {
			result.put("cpu_us_per_" + unit + "_" + names[i],
					(this.used[i] < 0 || count <= 0) ? null : (double) this.used[i] / count);
		}
		boolean jitKnown = this.gatewayJitUsed >= 0 && this.used[0] >= 0 && count > 0;
		result.put("cpu_us_per_" + unit + "_gateway_jit", jitKnown ? (double) this.gatewayJitUsed / count : null);
		for (int i = 0; i < 3; i++) {
			result.put("cpu_pct_" + names[i],
					(this.used[i] < 0) ? null : 100.0 * this.used[i] * 1000.0 / this.wallNanos);
		}
	}

}
