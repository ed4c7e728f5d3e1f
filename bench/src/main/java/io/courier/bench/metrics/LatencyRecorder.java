package io.courier.bench.metrics;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Latencies of one run, in nanoseconds, measured from the publisher's <em>intended</em> send time (the open-loop
 * schedule {@code start + seq / rate}), so a publisher that falls behind shows up as latency instead of hiding it.
 *
 * <p>Two histograms: {@link #raw()} holds each delivery once; {@link #corrected()} is recorded with
 * {@link Histogram#recordValueWithExpectedInterval(long, long)} using the expected inter-arrival interval of one
 * subscriber (1/rate), which back-fills the samples a stalled receiver would have taken (HdrHistogram's
 * coordinated-omission correction). When latency is routinely above the interval (pipelining, not stalls), the
 * correction adds samples that never happened, so both are reported.
 *
 * <p>Not thread-safe: record from one thread (the event loop) or synchronize.
 */
public final class LatencyRecorder {

	private static final long MAX_TRACKABLE = TimeUnit.SECONDS.toNanos(600);

	private final Histogram raw = new Histogram(MAX_TRACKABLE, 3);

	private final Histogram corrected = new Histogram(MAX_TRACKABLE, 3);

	private final long expectedIntervalNanos;

	public LatencyRecorder(long expectedIntervalNanos) {
		this.expectedIntervalNanos = expectedIntervalNanos;
	}

	public void record(long intendedSendNanos, long receivedNanos) {
		long latency = Math.min(Math.max(0, receivedNanos - intendedSendNanos), MAX_TRACKABLE);
		this.raw.recordValue(latency);
		this.corrected.recordValueWithExpectedInterval(latency, this.expectedIntervalNanos);
	}

	public Histogram raw() {
		return this.raw;
	}

	public Histogram corrected() {
		return this.corrected;
	}

	public void add(LatencyRecorder other) {
		this.raw.add(other.raw);
		this.corrected.add(other.corrected);
	}

	public static double millis(Histogram histogram, double percentile) {
		if (histogram.getTotalCount() == 0) {
			return Double.NaN;
		}
		return histogram.getValueAtPercentile(percentile) / 1_000_000.0;
	}

	public static double maxMillis(Histogram histogram) {
		return (histogram.getTotalCount() == 0) ? Double.NaN : histogram.getMaxValue() / 1_000_000.0;
	}

}
