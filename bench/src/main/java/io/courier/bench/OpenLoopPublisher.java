package io.courier.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@code total} messages at a fixed rate on the calling thread, open loop:
 * message {@code seq} is due at {@code start + seq / rate} whatever happened to the
 * previous ones, and carries that intended time, so a slow send delays the clock of
 * nothing but shows up as latency.
 */
final class OpenLoopPublisher {

	interface Sender {

		void send(long seq, long intendedNanos) throws Exception;

	}

	private long maxLagNanos;

	private long elapsedNanos;

	private long startNanos;

	long run(long total, double ratePerSecond, Sender sender) throws Exception {
		long interval = (long) (1_000_000_000L / ratePerSecond);
		long start = System.nanoTime() + 1_000_000;
		this.startNanos = start;
		long seq = 0;
		for (; seq < total; seq++) {
			long intended = start + seq * interval;
			long wait;
			while ((wait = intended - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			this.maxLagNanos = Math.max(this.maxLagNanos, System.nanoTime() - intended);
			sender.send(seq, intended);
		}
		this.elapsedNanos = System.nanoTime() - start;
		return seq;
	}

	double maxLagMillis() {
		return this.maxLagNanos / 1_000_000.0;
	}

	/**
	 * Deliveries per second from the first scheduled send to the last delivery: when
	 * receivers fall behind, the backlog drains after the publisher stopped and this is
	 * lower than {@code delivered / duration}.
	 */
	double deliveryRate(long delivered, long lastDeliveryNanos) {
		double seconds = Math.max(this.elapsedNanos, lastDeliveryNanos - this.startNanos) / 1e9;
		return (seconds <= 0) ? 0 : delivered / seconds;
	}

	double elapsedSeconds() {
		return this.elapsedNanos / 1e9;
	}

}
