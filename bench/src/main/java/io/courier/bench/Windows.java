package io.courier.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.HdrHistogram.Histogram;

import io.courier.bench.metrics.LatencyRecorder;

/**
 * A fan-out run cut into windows of {@code seconds} from the first publish: latency
 * percentiles of the messages due in each window (by sequence number: message {@code seq}
 * is due at {@code seq / rate}), and CPU per delivery of each process over each window's
 * wall time (a {@link CpuWindow} per window, sampled at the boundaries; the last window
 * ends when the drain does), divided by the deliveries received in that time. What a
 * fresh gateway's first seconds cost, next to its later ones.
 */
final class Windows {

	private final int seconds;

	private final long messagesPerWindow;

	private final LatencyRecorder[] latency;

	private final List<CpuWindow> cpu = new ArrayList<>();

	private final List<Long> receivedAtBoundary = new ArrayList<>();

	private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread thread = new Thread(r, "bench-windows");
		thread.setDaemon(true);
		return thread;
	});

	private long gatewayPid;

	private long beamPid;

	private LongSupplier received;

	Windows(int seconds, int rate, long durationSeconds, long expectedIntervalNanos) {
		this.seconds = seconds;
		this.messagesPerWindow = (long) rate * seconds;
		int count = (int) Math.max(1, (durationSeconds + seconds - 1) / seconds);
		this.latency = new LatencyRecorder[count];
		for (int i = 0; i < count; i++) {
			this.latency[i] = new LatencyRecorder(expectedIntervalNanos);
		}
	}

	/**
	 * A delivery of message {@code seq}, due at {@code intendedNanos}, received at
	 * {@code receivedNanos}.
	 */
	void record(long seq, long intendedNanos, long receivedNanos) {
		int window = (int) Math.min(this.latency.length - 1, Math.max(0, seq / this.messagesPerWindow));
		LatencyRecorder recorder = this.latency[window];
		synchronized (recorder) {
			recorder.record(intendedNanos, receivedNanos);
		}
	}

	/**
	 * Starts the first window's CPU now and the next ones every {@code seconds} (call as
	 * publishing starts).
	 */
	void start(long gatewayPid, long beamPid, LongSupplier received) {
		this.gatewayPid = gatewayPid;
		this.beamPid = beamPid;
		this.received = received;
		next();
		for (int i = 1; i < this.latency.length; i++) {
			this.sampler.schedule(this::next, (long) i * this.seconds, TimeUnit.SECONDS);
		}
	}

	private synchronized void next() {
		if (!this.cpu.isEmpty()) {
			this.cpu.get(this.cpu.size() - 1).stop();
		}
		this.receivedAtBoundary.add(this.received.getAsLong());
		this.cpu.add(new CpuWindow(this.gatewayPid, this.beamPid).start());
	}

	/**
	 * Ends the last window (call when the drain is done); a window not yet started by
	 * then stays empty.
	 */
	synchronized void stop() {
		this.sampler.shutdownNow();
		this.cpu.get(this.cpu.size() - 1).stop();
		this.receivedAtBoundary.add(this.received.getAsLong());
	}

	/**
	 * Adds, for every window {@code a_b} (seconds {@code a} to {@code b} of the
	 * publishing): {@code delivered_a_bs}, {@code p50_ms_a_bs}, {@code p99_ms_a_bs} and
	 * the {@link CpuWindow} figures with the suffix {@code _a_bs}.
	 */
	synchronized void report(Result result) {
		for (int i = 0; i < this.latency.length; i++) {
			String suffix = "_" + (i * this.seconds) + "_" + ((i + 1) * this.seconds) + "s";
			Histogram corrected;
			synchronized (this.latency[i]) {
				corrected = this.latency[i].corrected();
			}
			result.put("p50_ms" + suffix, LatencyRecorder.millis(corrected, 50))
				.put("p99_ms" + suffix, LatencyRecorder.millis(corrected, 99));
			if (i < this.cpu.size()) {
				long delivered = this.receivedAtBoundary.get(i + 1) - this.receivedAtBoundary.get(i);
				Result window = new Result(result.scenario, result.target);
				this.cpu.get(i).report(window, "delivery", delivered);
				result.put("delivered" + suffix, delivered);
				for (String name : List.of("cpu_us_per_delivery_gateway", "cpu_us_per_delivery_gateway_jit",
						"cpu_us_per_delivery_beam")) {
					result.put(name + suffix, window.get(name));
				}
			}
		}
	}

}
