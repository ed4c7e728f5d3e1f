package io.courier.gateway.limits;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled at {@code ratePerSecond};
 * each frame takes one. Time is passed in (nanoseconds) so tests drive it without
 * sleeping. Not thread-safe on its own: one session's frames are handled one at a time
 * (receive order is preserved), and callers synchronize on the bucket anyway.
 */
final class TokenBucket {

	private double ratePerSecond;

	private int capacity;

	private double tokensPerNano;

	private double tokens;

	private long last;

	TokenBucket(double ratePerSecond, int capacity, long nowNanos) {
		reconfigure(ratePerSecond, capacity);
		this.tokens = capacity;
		this.last = nowNanos;
	}

	/** Takes a new rate and size from now on; tokens above the new size are dropped. */
	synchronized void reconfigure(double ratePerSecond, int capacity) {
		this.ratePerSecond = ratePerSecond;
		this.capacity = capacity;
		this.tokensPerNano = ratePerSecond / 1_000_000_000d;
		this.tokens = Math.min(this.tokens, capacity);
	}

	synchronized double rate() {
		return this.ratePerSecond;
	}

	synchronized int capacity() {
		return this.capacity;
	}

	/** When the bucket was last used, for evicting idle ones. */
	synchronized long lastUsed() {
		return this.last;
	}

	synchronized boolean tryTake(long nowNanos) {
		long elapsed = Math.max(0, nowNanos - this.last);
		this.last = nowNanos;
		this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.tokensPerNano);
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return true;
		}
		return false;
	}

}
