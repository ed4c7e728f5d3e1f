package io.courier.gateway.relay;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pooled connections' reconnect delays: exponential from the first delay, capped, and
 * not in lockstep.
 */
class ReconnectBackOffTests {

	private final ReconnectBackOff backOff = new ReconnectBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30));

	@Test
	void theFirstAttemptWaitsAboutTheFirstDelayAndLaterOnesGrowUpToTheMaximum() {
		for (int i = 0; i < 50; i++) {
			assertThat(this.backOff.getTimeToNextAttempt(1)).isBetween(1000L, 1500L);
			assertThat(this.backOff.getTimeToNextAttempt(3)).isBetween(2000L, 6000L);
			assertThat(this.backOff.getTimeToNextAttempt(1_000_000)).isBetween(15_000L, 30_000L);
		}
	}

	@Test
	void nodesThatLostTheBrokerTogetherDoNotAllComeBackAtTheSameInstant() {
		Set<Long> delays = new HashSet<>();
		for (int i = 0; i < 20; i++) {
			delays.add(this.backOff.getTimeToNextAttempt(2));
		}
		assertThat(delays).hasSizeGreaterThan(5);
	}

}
