package io.courier.gateway.limits;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.courier.contract.LimitsDocument;
import io.courier.contract.LimitsDocument.Limits;
import io.courier.contract.LimitsDocument.UserLimits;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeLimitsTests {

	private final RuntimeLimits limits = new RuntimeLimits(new LimitsProperties(50, 100, DataSize.ofKilobytes(64), 20,
			20, 40, DataSize.ofKilobytes(512), Duration.ofSeconds(10)));

	@Test
	void propertiesAreInForceAsVersionZero() {
		assertThat(this.limits.version()).isZero();
		assertThat(this.limits.frameRate("alice")).isEqualTo(50);
		assertThat(this.limits.sessionsPerUser("alice")).isEqualTo(20);
	}

	@Test
	void newerDocumentWinsOlderOrEqualIsIgnored() {
		assertThat(this.limits.apply(document(7, new Limits(5.0, 5, 3, 1.0, 2), Map.of()))).isTrue();
		assertThat(this.limits.apply(document(6, new Limits(9.0, 9, 9, 9.0, 9), Map.of()))).isFalse();
		assertThat(this.limits.apply(document(7, new Limits(9.0, 9, 9, 9.0, 9), Map.of()))).isFalse();
		assertThat(this.limits.version()).isEqualTo(7);
		assertThat(this.limits.frameRate("alice")).isEqualTo(5);
		assertThat(this.limits.handshakeBurst()).isEqualTo(2);
	}

	@Test
	void absentGlobalFieldIsThePropertyAbsentOverrideFieldIsTheGlobalValue() {
		this.limits
			.apply(document(1, new Limits(null, 10, null, null, null), Map.of("bob", new UserLimits(200.0, null, 50))));
		assertThat(this.limits.frameRate("alice")).isEqualTo(50);
		assertThat(this.limits.frameBurst("alice")).isEqualTo(10);
		assertThat(this.limits.frameRate("bob")).isEqualTo(200);
		assertThat(this.limits.frameBurst("bob")).isEqualTo(10);
		assertThat(this.limits.sessionsPerUser("bob")).isEqualTo(50);
		assertThat(this.limits.handshakeRate()).isEqualTo(20);
	}

	@Test
	void listenersHearOfEachAppliedChangeOnly() {
		AtomicInteger changes = new AtomicInteger();
		this.limits.onChange(changes::incrementAndGet);
		this.limits.apply(document(2, new Limits(1.0, 1, 1, 1.0, 1), Map.of()));
		this.limits.apply(document(1, new Limits(1.0, 1, 1, 1.0, 1), Map.of()));
		assertThat(changes).hasValue(1);
	}

	private static LimitsDocument document(long version, Limits limits, Map<String, UserLimits> overrides) {
		return new LimitsDocument("limits.changed", version, null, "test", limits, overrides);
	}

}
