package io.courier.bench;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ResultTests {

	@Test
	void aResultIsOneLineOfJsonThatReadsBackWhateverItsTextHolds() {
		String awkward = "said \"no\"\tthen\u0001left\\\n";
		Result result = new Result("fanout", Target.COURIER).put("error", awkward)
			.put("p99_ms", 1.5)
			.put("rate", Double.NaN)
			.put("delivered", 42L)
			.put("ok", true)
			.put("latencies", List.of(1.25, 2));

		String json = result.toJson();

		assertThat(json).doesNotContain("\n").doesNotContain("\t").doesNotContain("\u0001");
		JsonNode read = JsonMapper.builder().build().readTree(json);
		assertThat(read.get("error").asString()).isEqualTo(awkward);
		assertThat(read.get("scenario").asString()).isEqualTo("fanout");
		assertThat(read.get("target").asString()).isEqualTo(Target.COURIER.label());
		assertThat(json).contains("\"p99_ms\":1.500", "\"rate\":null", "\"delivered\":42", "\"ok\":true",
				"\"latencies\":[1.250,2]");
	}

}
