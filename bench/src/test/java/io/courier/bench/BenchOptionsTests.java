package io.courier.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BenchOptionsTests {

	@Test
	void refusesANonLoopbackHostUnlessAllowed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchOptions.parse("fanout", "--courier-url", "ws://10.0.0.5:8080/ws"))
			.withMessageContaining("not loopback");
		assertThat(BenchOptions.parse("fanout", "--courier-url", "ws://10.0.0.5:8080/ws", "--allow-remote")
			.courierUrl()
			.getHost()).isEqualTo("10.0.0.5");
		assertThat(BenchOptions.parse("fanout", "--direct-url", "ws://localhost:15674/ws").directUrl().getHost())
			.isEqualTo("localhost");
	}

	@Test
	void capsDurationAndSessions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchOptions.parse("fanout", "--duration", "301").seconds("duration", 30));
		assertThat(BenchOptions.parse("fanout", "--duration", "5m").seconds("duration", 30)).hasSeconds(300);
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("connections", "--sessions", "25001")
			.integer("sessions", 1, 1, BenchOptions.MAX_SESSIONS));
	}

	@Test
	void allMeansCourierDirectAndFloorForFanoutOnly() {
		assertThat(BenchOptions.parse("fanout").targets()).containsExactly(Target.COURIER, Target.DIRECT, Target.FLOOR);
		assertThat(BenchOptions.parse("connections", "--target", "all").targets()).containsExactly(Target.COURIER,
				Target.DIRECT);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> BenchOptions.parse("connect-storm", "--target", "floor").targets());
	}

	@Test
	void takesAListOfRates() {
		assertThat(BenchOptions.parse("fanout", "--rate", "50,100,150").integers("rate", 50, 1, 1000))
			.isEqualTo(List.of(50, 100, 150));
	}

	@Test
	void benchBodiesCarrySequenceAndIntendedSendTime() {
		String body = BenchPayload.fanout(42, 123456789L, 128);
		assertThat(body).hasSize(128);
		assertThat(BenchPayload.parse(body.getBytes())).containsExactly(42, 123456789L);
		assertThat(BenchPayload
			.parse("{\"orderId\":\"bench-1\",\"userId\":\"u\",\"status\":\"BENCH\",\"seq\":7,\"t\":-5}".getBytes()))
			.containsExactly(7, -5);
		assertThat(BenchPayload.parse("{\"orderId\":\"1\"}".getBytes())).isNull();
	}

}
