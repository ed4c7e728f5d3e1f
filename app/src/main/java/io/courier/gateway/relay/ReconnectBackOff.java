package io.courier.gateway.relay;

import java.time.Duration;

import org.springframework.messaging.tcp.ReconnectStrategy;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How long a pooled broker connection waits before its next attempt: Spring's
 * {@link ExponentialBackOff} from {@code courier.relay.reconnect-delay}, doubling up to
 * {@code courier.relay.max-reconnect-delay}, with a jitter of half the first delay so
 * that the connections of many nodes do not all come back at the same instant after a
 * broker restart.
 */
final class ReconnectBackOff implements ReconnectStrategy {

	/** Past this many attempts the delay is at its maximum anyway. */
	private static final int MAX_STEPS = 32;

	private final ExponentialBackOff backOff;

	ReconnectBackOff(Duration initial, Duration max) {
		this.backOff = new ExponentialBackOff(initial.toMillis(), 2.0);
		this.backOff.setMaxInterval(max.toMillis());
		this.backOff.setJitter(initial.toMillis() / 2);
	}

	/**
	 * The delay before attempt {@code attemptCount} (1 for the first reconnect after a
	 * loss).
	 */
	@Override
	public Long getTimeToNextAttempt(int attemptCount) {
		BackOffExecution execution = this.backOff.start();
		long delay = execution.nextBackOff();
		for (int i = 1; i < Math.min(attemptCount, MAX_STEPS); i++) {
			delay = execution.nextBackOff();
		}
		return delay;
	}

}
