package io.courier.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoundsTests {

	@Test
	void aMetricIsTheMedianOfTheRounds() {
		Result median = Rounds.median(List.of(result(3.0, 0), result(1.0, 0), result(2.0, 0)));
		assertThat(median.get("p99_ms")).isEqualTo(2.0);
		assertThat(median.get("rounds")).isEqualTo(3);
		assertThat(median.target).isEqualTo(Target.COURIER);
	}

	@Test
	void anEvenNumberOfRoundsTakesTheMeanOfTheMiddleTwo() {
		Result median = Rounds.median(List.of(result(1.0, 0), result(4.0, 0), result(2.0, 0), result(10.0, 0)));
		assertThat(median.get("p99_ms")).isEqualTo(3.0);
	}

	@Test
	void lossesAndErrorsAreSummedSoOneBadRoundShows() {
		Result median = Rounds.median(List.of(result(1.0, 0), result(1.0, 7), result(1.0, 0)));
		assertThat(median.get("lost")).isEqualTo(7L);
		assertThat(median.get("errors")).isEqualTo(0L);
	}

	@Test
	void aValueEveryRoundHadStaysAsItIs() {
		Result median = Rounds
			.median(List.of(result(1.0, 0).put("sessions", 3000), result(2.0, 0).put("sessions", 3000)));
		assertThat(median.get("sessions")).isEqualTo(3000);
		assertThat(median.get("transport")).isEqualTo("sse");
	}

	@Test
	void oneRoundIsReportedAsItIs() {
		Result only = result(1.0, 2);
		assertThat(Rounds.median(List.of(only))).isSameAs(only);
	}

	private static Result result(double p99, long lost) {
		return new Result("fanout", Target.COURIER).put("p99_ms", p99)
			.put("lost", lost)
			.put("errors", 0L)
			.put("transport", "sse");
	}

}
