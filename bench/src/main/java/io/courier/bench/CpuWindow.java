package io.courier.bench;

import io.courier.bench.metrics.ProcessProbe;

/**
 * CPU time (utime + stime) of the gateway JVM, RabbitMQ's beam.smp and this load generator over a measured
 * window; a pid of -1 (not involved, or not found) yields null metrics.
 */
final class CpuWindow {

	private final long gatewayPid;

	private final long beamPid;

	private final long selfPid = ProcessHandle.current().pid();

	private long startNanos;

	private long[] start;

	private long[] used;

	private long wallNanos;

	CpuWindow(long gatewayPid, long beamPid) {
		this.gatewayPid = gatewayPid;
		this.beamPid = beamPid;
	}

	CpuWindow start() {
		this.start = sample();
		this.startNanos = System.nanoTime();
		return this;
	}

	CpuWindow stop() {
		long[] end = sample();
		this.wallNanos = System.nanoTime() - this.startNanos;
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

	/** Adds cpu_us_per_&lt;unit&gt;_{gateway,beam,loadgen} and cpu_pct_{...} (percent of one core). */
	void report(Result result, String unit, long count) {
		String[] names = { "gateway", "beam", "loadgen" };
		for (int i = 0; i < 3; i++) {
			result.put("cpu_us_per_" + unit + "_" + names[i],
					(this.used[i] < 0 || count <= 0) ? null : (double) this.used[i] / count);
		}
		for (int i = 0; i < 3; i++) {
			result.put("cpu_pct_" + names[i],
					(this.used[i] < 0) ? null : 100.0 * this.used[i] * 1000.0 / this.wallNanos);
		}
	}

}
