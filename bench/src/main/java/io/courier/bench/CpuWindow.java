package io.courier.bench;

import java.util.Map;
import java.util.function.Predicate;

import io.courier.bench.floor.FloorServer;
import io.courier.bench.metrics.ProcessProbe;

/**
 * CPU time (utime + stime) of the gateway JVM, RabbitMQ's beam.smp and this load
 * generator over a measured window; a pid of -1 (not involved, or not found) yields null
 * metrics. Of the gateway's time, the part its JIT compiler threads spent is reported
 * too: a benchmark of a few minutes still pays for compilation that a gateway running for
 * hours has long done. When the floor server runs in this JVM ({@link #withFloorServer}),
 * its event-loop thread's time is reported on its own: what a minimal server pays per
 * delivery on this machine, next to the gateway's figure (both include the kernel's
 * loopback receive path, which runs on the writing thread).
 */
final class CpuWindow {

	private static final Predicate<String> FLOOR_THREADS = (name) -> name.startsWith(FloorServer.THREAD_PREFIX);

	private final long gatewayPid;

	/** RabbitMQ's nodes: one, or the three of a cluster (their CPU summed). */
	private final long[] beamPids;

	private final long selfPid = ProcessHandle.current().pid();

	private long startNanos;

	private long[] start;

	private long[] used;

	private long wallNanos;

	private Map<Long, Long> gatewayJitStart = Map.of();

	private long gatewayJitUsed = -1;

	private boolean floorServer;

	private Map<Long, Long> floorStart = Map.of();

	private long floorUsed = -1;

	CpuWindow(long gatewayPid, long... beamPids) {
		this.gatewayPid = gatewayPid;
		this.beamPids = beamPids.clone();
	}

	/**
	 * Also measures the floor server's thread of this JVM (call before {@link #start}).
	 */
	CpuWindow withFloorServer() {
		this.floorServer = true;
		return this;
	}

	CpuWindow start() {
		this.start = sample();
		this.startNanos = System.nanoTime();
		// the threads' windows lie inside the processes' ones, so that a part never
		// exceeds its whole
		this.gatewayJitStart = ProcessProbe.jitCompilerCpuMicros(this.gatewayPid);
		if (this.floorServer) {
			this.floorStart = ProcessProbe.threadCpuMicros(this.selfPid, FLOOR_THREADS);
		}
		return this;
	}

	CpuWindow stop() {
		this.gatewayJitUsed = used(this.gatewayJitStart, ProcessProbe.jitCompilerCpuMicros(this.gatewayPid));
		if (this.floorServer) {
			this.floorUsed = used(this.floorStart, ProcessProbe.threadCpuMicros(this.selfPid, FLOOR_THREADS));
		}
		long[] end = sample();
		this.wallNanos = System.nanoTime() - this.startNanos;
		this.used = new long[3];
		for (int i = 0; i < 3; i++) {
			this.used[i] = (end[i] < 0 || this.start[i] < 0) ? -1 : end[i] - this.start[i];
		}
		return this;
	}

	/**
	 * CPU the threads of {@code end} used since {@code start} (a thread new since counts
	 * from 0); -1 if none.
	 */
	private static long used(Map<Long, Long> start, Map<Long, Long> end) {
		return end.isEmpty() ? -1
				: end.entrySet()
					.stream()
					.mapToLong((thread) -> thread.getValue() - start.getOrDefault(thread.getKey(), 0L))
					.sum();
	}

	/** The brokers' CPU, -1 unless every one of them could be read. */
	private long beamMicros() {
		long sum = 0;
		for (long pid : this.beamPids) {
			long micros = ProcessProbe.cpuMicros(pid);
			if (micros < 0) {
				return -1;
			}
			sum += micros;
		}
		return (this.beamPids.length == 0) ? -1 : sum;
	}

	private long[] sample() {
		return new long[] { ProcessProbe.cpuMicros(this.gatewayPid), beamMicros(),
				ProcessProbe.cpuMicros(this.selfPid) };
	}

	/**
	 * Adds cpu_us_per_&lt;unit&gt;_{gateway,beam,loadgen},
	 * cpu_us_per_&lt;unit&gt;_gateway_jit (the JIT compiler threads' part of the
	 * gateway's figure), cpu_us_per_&lt;unit&gt;_floor_server when the floor server was
	 * measured (part of the loadgen figure) and cpu_pct_{gateway,beam,loadgen} (percent
	 * of one core).
	 */
	void report(Result result, String unit, long count) {
		String[] names = { "gateway", "beam", "loadgen" };
		for (int i = 0; i < 3; i++) {
			result.put("cpu_us_per_" + unit + "_" + names[i],
					(this.used[i] < 0 || count <= 0) ? null : (double) this.used[i] / count);
		}
		boolean jitKnown = this.gatewayJitUsed >= 0 && this.used[0] >= 0 && count > 0;
		result.put("cpu_us_per_" + unit + "_gateway_jit", jitKnown ? (double) this.gatewayJitUsed / count : null);
		if (this.floorServer) {
			result.put("cpu_us_per_" + unit + "_floor_server",
					(this.floorUsed >= 0 && count > 0) ? (double) this.floorUsed / count : null);
		}
		for (int i = 0; i < 3; i++) {
			result.put("cpu_pct_" + names[i],
					(this.used[i] < 0) ? null : 100.0 * this.used[i] * 1000.0 / this.wallNanos);
		}
	}

}
