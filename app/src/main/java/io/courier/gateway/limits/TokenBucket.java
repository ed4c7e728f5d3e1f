package io.courier.gateway.limits;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled at {@code ratePerSecond}; each frame takes one.
 * Time is passed in (nanoseconds) so tests drive it without sleeping. Not thread-safe on its own: one session's
 * frames are handled one at a time (receive order is preserved), and callers synchronize on the bucket anyway.
 */
final class TokenBucket {

	private final double capacity;

	private final double tokensPerNano;

	private double tokens;

	private long last;

	TokenBucket(double ratePerSecond, int capacity, long nowNanos) {
		this.capacity = capacity;
		this.tokensPerNano = ratePerSecond / 1_000_000_000d;
		this.tokens = capacity;
		this.last = nowNanos;
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
