package io.courier.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntFunction;

import org.HdrHistogram.Histogram;

import io.courier.bench.metrics.LatencyRecorder;
import io.courier.bench.metrics.SequenceTracker;
import io.courier.bench.stomp.StompFrame;
import io.courier.bench.stomp.StompSession;

/**
 * Listener for every session of a run: per session, a {@link SequenceTracker} and a
 * {@link LatencyRecorder} fed from the bench fields of each MESSAGE body; counts session
 * errors. Messages without bench fields (another run's leftovers) are counted as foreign
 * and ignored.
 */
final class Receivers implements StompSession.Listener {

	static final class Stream {

		final SequenceTracker sequence = new SequenceTracker();

		final LatencyRecorder latency;

		Stream(long expectedIntervalNanos) {
			this.latency = new LatencyRecorder(expectedIntervalNanos);
		}

	}

	private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();

	private final long expectedIntervalNanos;

	final AtomicLong received = new AtomicLong();

	final AtomicLong foreign = new AtomicLong();

	/** nanoTime of the latest counted delivery. */
	volatile long lastDeliveryNanos;

	final AtomicLong sessionErrors = new AtomicLong();

	final List<String> errorSamples = new java.util.concurrent.CopyOnWriteArrayList<>();

	private volatile boolean recording = true;

	Receivers(long expectedIntervalNanos) {
		this.expectedIntervalNanos = expectedIntervalNanos;
	}

	/**
	 * Messages marked {@code courier-retained} (the latest from before the subscription,
	 * with --history).
	 */
	final AtomicLong retained = new AtomicLong();

	@Override
	public void onMessage(StompSession session, StompFrame message) {
		if (message.header("courier-retained") != null) {
			this.retained.incrementAndGet(); // an earlier run's message: not this run's
												// to time or count
			return;
		}
		onBody(session.id(), message.body());
	}

	/** A delivery to stream {@code id} (a STOMP session's id, or an SSE stream's). */
	void onBody(int id, byte[] body) {
		long now = System.nanoTime();
		long[] fields = BenchPayload.parse(body);
		if (fields == null || !this.recording) {
			this.foreign.incrementAndGet();
			return;
		}
		Stream stream = this.streams.computeIfAbsent(id, (key) -> new Stream(this.expectedIntervalNanos));
		synchronized (stream) {
			stream.sequence.onSequence(fields[0]);
			stream.latency.record(fields[1], now);
		}
		this.received.incrementAndGet();
		this.lastDeliveryNanos = now;
	}

	@Override
	public void onError(StompSession session, String reason) {
		onError("session " + session.id(), reason);
	}

	void onError(String stream, String reason) {
		this.sessionErrors.incrementAndGet();
		if (this.errorSamples.size() < 5) {
			this.errorSamples.add(stream + ": " + reason);
		}
	}

	void stopRecording() {
		this.recording = false;
	}

	/**
	 * Waits until {@code expected} deliveries arrived, or nothing arrived for 5 s, or 60
	 * s passed.
	 */
	void drain(long expected) throws InterruptedException {
		long deadline = System.nanoTime() + 60_000_000_000L;
		long last = -1;
		long lastProgress = System.nanoTime();
		while (this.received.get() < expected && System.nanoTime() < deadline) {
			long now = this.received.get();
			if (now != last) {
				last = now;
				lastProgress = System.nanoTime();
			}
			else if (System.nanoTime() - lastProgress > 5_000_000_000L) {
				return;
			}
			Thread.sleep(20);
		}
	}

	/**
	 * Sums the streams of the given sessions; {@code published} says how many each
	 * session should have got.
	 */
	void report(Result result, List<StompSession> sessions, ToIntFunction<StompSession> publishedFor) {
		int[] ids = sessions.stream().mapToInt(StompSession::id).toArray();
		int[] published = sessions.stream().mapToInt(publishedFor).toArray();
		report(result, ids, (i) -> published[i]);
	}

	/**
	 * As above for streams by id; {@code publishedFor} takes the index in {@code ids}.
	 */
	void report(Result result, int[] ids, IntUnaryOperator publishedFor) {
		LatencyRecorder all = new LatencyRecorder(this.expectedIntervalNanos);
		long delivered = 0;
		long lost = 0;
		long duplicated = 0;
		long outOfOrder = 0;
		long expected = 0;
		for (int i = 0; i < ids.length; i++) {
			int published = publishedFor.applyAsInt(i);
			expected += published;
			Stream stream = this.streams.get(ids[i]);
			if (stream == null) {
				lost += published;
				continue;
			}
			synchronized (stream) {
				delivered += stream.sequence.unique();
				lost += stream.sequence.lost(published);
				duplicated += stream.sequence.duplicates();
				outOfOrder += stream.sequence.outOfOrder();
				all.add(stream.latency);
			}
		}
		Histogram corrected = all.corrected();
		result.put("expected", expected)
			.put("delivered", delivered)
			.put("lost", lost)
			.put("duplicated", duplicated)
			.put("out_of_order", outOfOrder)
			.put("p50_ms", LatencyRecorder.millis(corrected, 50))
			.put("p90_ms", LatencyRecorder.millis(corrected, 90))
			.put("p99_ms", LatencyRecorder.millis(corrected, 99))
			.put("max_ms", LatencyRecorder.maxMillis(corrected))
			.put("raw_p50_ms", LatencyRecorder.millis(all.raw(), 50))
			.put("raw_p99_ms", LatencyRecorder.millis(all.raw(), 99))
			.put("foreign_messages", this.foreign.get())
			.put("retained_messages", this.retained.get());
	}

	/**
	 * What every publish-and-deliver scenario adds after {@link #report}: published
	 * count, delivery rate, publisher lag, CPU per delivery, and
	 * connect/subscribe/session errors with samples.
	 */
	void reportRun(Result result, OpenLoopPublisher publisher, CpuWindow cpu, long published,
			BenchContext.Opened opened, int subscribeFailures) {
		reportRun(result, publisher, cpu, published, opened.failed(), opened.errors(), subscribeFailures);
	}

	void reportRun(Result result, OpenLoopPublisher publisher, CpuWindow cpu, long published, int connectFailures,
			List<String> connectErrors, int subscribeFailures) {
		long delivered = ((Number) result.get("delivered")).longValue();
		result.put("published", published)
			.put("delivered_per_s", publisher.deliveryRate(delivered, this.lastDeliveryNanos))
			.put("publisher_max_lag_ms", publisher.maxLagMillis());
		cpu.report(result, "delivery", delivered);
		long errors = connectFailures + subscribeFailures + this.sessionErrors.get();
		result.put("connect_failures", connectFailures)
			.put("subscribe_failures", subscribeFailures)
			.put("errors", errors);
		List<String> samples = new java.util.ArrayList<>(connectErrors);
		samples.addAll(this.errorSamples);
		if (!samples.isEmpty()) {
			result.put("error_samples", samples);
		}
	}

}
