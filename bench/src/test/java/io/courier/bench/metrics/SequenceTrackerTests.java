package io.courier.bench.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceTrackerTests {

	private final SequenceTracker tracker = new SequenceTracker();

	private void receive(long... sequence) {
		for (long seq : sequence) {
			this.tracker.onSequence(seq);
		}
	}

	@Test
	void aCompleteInOrderStreamHasNoLossDuplicatesOrReordering() {
		receive(0, 1, 2, 3, 4);
		assertThat(this.tracker.unique()).isEqualTo(5);
		assertThat(this.tracker.lost(5)).isZero();
		assertThat(this.tracker.duplicates()).isZero();
		assertThat(this.tracker.outOfOrder()).isZero();
	}

	@Test
	void missingNumbersAreLostIncludingTheTail() {
		receive(0, 2, 3);
		assertThat(this.tracker.lost(6)).isEqualTo(3); // 1, 4, 5
		assertThat(this.tracker.outOfOrder()).isZero();
	}

	@Test
	void aNumberSeenTwiceIsADuplicateNotADelivery() {
		receive(0, 1, 1, 2, 0);
		assertThat(this.tracker.received()).isEqualTo(5);
		assertThat(this.tracker.unique()).isEqualTo(3);
		assertThat(this.tracker.duplicates()).isEqualTo(2);
		assertThat(this.tracker.outOfOrder()).isZero();
		assertThat(this.tracker.lost(3)).isZero();
	}

	@Test
	void aFirstDeliveryBelowTheHighestSeenIsOutOfOrder() {
		receive(0, 2, 1, 3, 5, 4);
		assertThat(this.tracker.outOfOrder()).isEqualTo(2);
		assertThat(this.tracker.lost(6)).isZero();
		assertThat(this.tracker.duplicates()).isZero();
	}

	@Test
	void aLateMessageThatWasOvertakenCountsOnceAsOutOfOrderAndIsNotLost() {
		receive(1, 2, 3, 0);
		assertThat(this.tracker.outOfOrder()).isEqualTo(1);
		assertThat(this.tracker.lost(4)).isZero();
	}

}
