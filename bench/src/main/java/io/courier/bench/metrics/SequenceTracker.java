package io.courier.bench.metrics;

import java.util.BitSet;

/**
 * What one subscriber received of a numbered stream 0, 1, 2, ...: unique deliveries,
 * duplicates (a number seen before), out-of-order deliveries (a first delivery whose
 * number is below the highest seen so far) and, once the publisher says how many it sent,
 * lost messages (sent but never received).
 */
public final class SequenceTracker {

	private final BitSet seen = new BitSet();

	private long received;

	private long duplicates;

	private long outOfOrder;

	private long highest = -1;

	public void onSequence(long seq) {
		if (seq < 0 || seq > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("sequence number out of range: " + seq);
		}
		this.received++;
		if (this.seen.get((int) seq)) {
			this.duplicates++;
			return;
		}
		this.seen.set((int) seq);
		if (seq < this.highest) {
			this.outOfOrder++;
		}
		else {
			this.highest = seq;
		}
	}

	/** Every delivery, duplicates included. */
	public long received() {
		return this.received;
	}

	public long unique() {
		return this.seen.cardinality();
	}

	public long duplicates() {
		return this.duplicates;
	}

	public long outOfOrder() {
		return this.outOfOrder;
	}

	/** Numbers in {@code [0, published)} never received. */
	public long lost(long published) {
		long inRange = this.seen.get(0, (int) Math.min(published, Integer.MAX_VALUE)).cardinality();
		return published - inRange;
	}

}
