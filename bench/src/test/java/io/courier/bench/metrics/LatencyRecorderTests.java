package io.courier.bench.metrics;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

class LatencyRecorderTests {

	private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

	@Test
	void measuresFromTheIntendedSendTime() {
		LatencyRecorder recorder = new LatencyRecorder(10 * MS);
		recorder.record(1_000 * MS, 1_003 * MS);
		assertThat(LatencyRecorder.millis(recorder.raw(), 50)).isCloseTo(3.0, within(0.01));
		assertThat(recorder.corrected().getTotalCount()).isEqualTo(1);
	}

	@Test
	void aStallLongerThanTheExpectedIntervalBackfillsTheSamplesItHid() {
		LatencyRecorder recorder = new LatencyRecorder(10 * MS);
		recorder.record(0, 100 * MS);
		// raw: the one delivery; corrected: 100, 90, 80, ... 10 ms, as if the 9 messages
		// behind it had been sent
		assertThat(recorder.raw().getTotalCount()).isEqualTo(1);
		assertThat(recorder.corrected().getTotalCount()).isEqualTo(10);
		assertThat(LatencyRecorder.millis(recorder.corrected(), 50)).isCloseTo(50.0, within(0.1));
		assertThat(LatencyRecorder.maxMillis(recorder.corrected())).isCloseTo(100.0, within(0.1));
	}

	@Test
	void latenciesBelowTheIntervalAreNotCorrected() {
		LatencyRecorder recorder = new LatencyRecorder(20 * MS);
		for (int i = 0; i < 100; i++) {
			recorder.record(i * 20 * MS, i * 20 * MS + 5 * MS);
		}
		assertThat(recorder.corrected().getTotalCount()).isEqualTo(recorder.raw().getTotalCount()).isEqualTo(100);
	}

	@Test
	void mergesRecordersOfSeveralSubscribers() {
		LatencyRecorder a = new LatencyRecorder(10 * MS);
		LatencyRecorder b = new LatencyRecorder(10 * MS);
		a.record(0, 2 * MS);
		b.record(0, 4 * MS);
		a.add(b);
		assertThat(a.raw().getTotalCount()).isEqualTo(2);
		assertThat(LatencyRecorder.maxMillis(a.raw())).isCloseTo(4.0, within(0.01));
	}

	@Test
	void theCorrectionIsTheOneEachDeliveryWouldHaveGotWhenRecorded() {
		LatencyRecorder recorder = new LatencyRecorder(MS);
		Histogram reference = new Histogram(TimeUnit.SECONDS.toNanos(600), 3);
		Random random = new Random(7);
		for (int i = 0; i < 10_000; i++) {
			// mostly under the interval, one delivery in 100 after a stall of up to 2 s
			long latency = (i % 100 == 0) ? random.nextInt(2_000) * MS : random.nextInt(900_000);
			recorder.record(1_000 * MS, 1_000 * MS + latency);
			reference.recordValueWithExpectedInterval(latency, MS);
		}
		Histogram corrected = recorder.corrected();
		assertThat(recorder.raw().getTotalCount()).isEqualTo(10_000);
		assertThat(corrected.getTotalCount()).isGreaterThan(100_000)
			.isCloseTo(reference.getTotalCount(), withinPercentage(1));
		for (double percentile : new double[] { 50, 90, 99, 99.9 }) {
			assertThat(corrected.getValueAtPercentile(percentile)).isCloseTo(reference.getValueAtPercentile(percentile),
					withinPercentage(1));
		}
	}

	@Test
	void recordersOfDifferentRatesDoNotMerge() {
		LatencyRecorder a = new LatencyRecorder(10 * MS);
		assertThatIllegalArgumentException().isThrownBy(() -> a.add(new LatencyRecorder(20 * MS)));
	}

	@Test
	void anEmptyHistogramHasNoPercentiles() {
		assertThat(LatencyRecorder.millis(new LatencyRecorder(MS).raw(), 99)).isNaN();
	}

}
