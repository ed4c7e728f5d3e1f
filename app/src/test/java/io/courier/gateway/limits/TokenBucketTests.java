package io.courier.gateway.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTests {

	private static final long SECOND = 1_000_000_000L;

	@Test
	void burstIsAvailableAtOnceThenRefused() {
		TokenBucket bucket = new TokenBucket(1, 3, 0);
		assertThat(bucket.tryTake(0)).isTrue();
		assertThat(bucket.tryTake(0)).isTrue();
		assertThat(bucket.tryTake(0)).isTrue();
		assertThat(bucket.tryTake(0)).isFalse();
	}

	@Test
	void refillsAtTheRateUpToCapacity() {
		TokenBucket bucket = new TokenBucket(2, 2, 0);
		bucket.tryTake(0);
		bucket.tryTake(0);
		assertThat(bucket.tryTake(SECOND / 4)).isFalse();
		assertThat(bucket.tryTake(SECOND / 2 + SECOND / 4)).isTrue();
		assertThat(bucket.tryTake(100 * SECOND)).isTrue();
		assertThat(bucket.tryTake(100 * SECOND)).isTrue();
		assertThat(bucket.tryTake(100 * SECOND)).as("capacity caps the refill").isFalse();
	}

	@Test
	void clockGoingBackwardsAddsNothing() {
		TokenBucket bucket = new TokenBucket(10, 1, 5 * SECOND);
		assertThat(bucket.tryTake(5 * SECOND)).isTrue();
		assertThat(bucket.tryTake(SECOND)).isFalse();
	}

	@Test
	void reconfiguredBucketKeepsAtMostItsNewSizeAndRefillsAtTheNewRate() {
		TokenBucket bucket = new TokenBucket(50, 100, 0);
		bucket.reconfigure(2, 2);
		assertThat(bucket.tryTake(0)).isTrue();
		assertThat(bucket.tryTake(0)).isTrue();
		assertThat(bucket.tryTake(0)).isFalse();
		assertThat(bucket.tryTake(SECOND / 4)).as("2/s: no token after 250 ms").isFalse();
		assertThat(bucket.tryTake(SECOND / 2 + SECOND / 4)).isTrue();
	}

}
