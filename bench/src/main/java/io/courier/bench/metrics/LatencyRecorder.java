package io.courier.bench.metrics;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Latencies of one run, in nanoseconds, measured from the publisher's <em>intended</em>
 * send time (the open-loop schedule {@code start + seq / rate}), so a publisher that
 * falls behind shows up as latency instead of hiding it.
 *
 * <p>
 * Two histograms: {@link #raw()} holds each delivery once; {@link #corrected()} adds
 * HdrHistogram's coordinated-omission correction for the expected inter-arrival interval
 * of one subscriber (1/rate), which back-fills the samples a stalled receiver would have
 * taken. When latency is routinely above the interval (pipelining, not stalls), the
 * correction adds samples that never happened, so both are reported.
 *
 * <p>
 * The correction is made when {@link #corrected()} is asked for
 * ({@link Histogram#copyCorrectedForCoordinatedOmission}), not per delivery: correcting
 * at record time ({@code recordValueWithExpectedInterval}) costs a delivery L late about
 * L/interval records, so a receiver that fell behind spent more per delivery the further
 * behind it was, and the load generator itself collapsed (at 100 × 1,000 msg/s, 33 µs of
 * its CPU per delivery instead of 6).
 *
 * <p>
 * Not thread-safe: record from one thread (the event loop) or synchronize.
 */
public final class LatencyRecorder {

	private static final long MAX_TRACKABLE = TimeUnit.SECONDS.toNanos(600);

	private final Histogram raw = new Histogram(MAX_TRACKABLE, 3);

	private final long expectedIntervalNanos;

	public LatencyRecorder(long expectedIntervalNanos) {
		this.expectedIntervalNanos = expectedIntervalNanos;
	}

	public void record(long intendedSendNanos, long receivedNanos) {
		long latency = Math.min(Math.max(0, receivedNanos - intendedSendNanos), MAX_TRACKABLE);
		this.raw.recordValue(latency);
	}

	public Histogram raw() {
		return this.raw;
	}

	/** The raw histogram with the coordinated-omission correction, made now. */
	public Histogram corrected() {
		return this.raw.copyCorrectedForCoordinatedOmission(this.expectedIntervalNanos);
	}

	/** Adds another recorder's deliveries; both must expect the same interval. */
	public void add(LatencyRecorder other) {
		if (other.expectedIntervalNanos != this.expectedIntervalNanos) {
			throw new IllegalArgumentException(
					"expected intervals differ: " + this.expectedIntervalNanos + " and " + other.expectedIntervalNanos);
		}
		this.raw.add(other.raw);
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
