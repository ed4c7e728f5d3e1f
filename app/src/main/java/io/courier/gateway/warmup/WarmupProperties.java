package io.courier.gateway.warmup;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The warm-up a node runs on itself before readiness turns UP (health indicator
 * {@code warmup}, in the readiness group).
 *
 * @param enabled run it; {@code false}: readiness waits for nothing but the relay, and
 * the node's first clients pay for what the JIT compiler has not compiled yet
 * @param timeout longest the whole warm-up may take; readiness turns UP then whatever is
 * left undone
 * @param sessions loopback STOMP sessions to the node's own {@code /ws}, each subscribed
 * to the node's private warm-up topic
 * @param connects short sessions before those (handshake, CONNECT, SUBSCRIBE,
 * DISCONNECT), {@code sessions} at a time; none by default: 100 made no difference the
 * fan-out benchmark could see (docs/BENCHMARKS.md)
 * @param messages messages published to that topic through the relay (each delivered to
 * every session)
 * @param rate messages per second at most
 * @param topUps rounds of {@code topUp} more messages after those, each once the JIT
 * compiler has caught up with the previous load; they end as soon as one round made it
 * compile little: what stayed below the compile thresholds while the compiler was busy
 * (thresholds rise with its queue) is compiled then, not under the first clients
 * @param topUp messages per top-up round
 * @param tokens RS256 verifications of throwaway tokens (a key pair generated in memory
 * for this)
 * @param json cluster messages written and read as JSON
 */
@Validated
@ConfigurationProperties("courier.warmup")
public record WarmupProperties(@DefaultValue("true") boolean enabled, @DefaultValue("20s") @NotNull Duration timeout,
		@DefaultValue("10") @Min(1) @Max(200) int sessions, @DefaultValue("0") @Min(0) @Max(10_000) int connects,
		@DefaultValue("6000") @Min(0) @Max(100_000) int messages, @DefaultValue("2000") @Min(1) @Max(100_000) int rate,
		@DefaultValue("3") @Min(0) @Max(100) int topUps, @DefaultValue("1000") @Min(1) @Max(100_000) int topUp,
		@DefaultValue("300") @Min(0) @Max(100_000) int tokens, @DefaultValue("1000") @Min(0) @Max(1_000_000) int json) {

	public WarmupProperties {
		if (timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(2)) > 0) {
			throw new IllegalArgumentException("courier.warmup.timeout must be between 0 and 2m, got " + timeout);
		}
	}

}
