package io.courier.gateway.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTests {

	@Test
	void controlCharactersAndBackslashesAreEscaped() {
		assertThat(LogText.escape("a\nb\rc\td\\e\u0000f\u001b[31m\u2028"))
			.isEqualTo("a\\nb\\rc\\td\\\\e\\u0000f\\u001b[31m\\u2028");
	}

	@Test
	void plainTextIsUnchangedAndNullIsNamed() {
		assertThat(LogText.escape("forbidden destination: /topic/x (no rule grants SEND)"))
			.isEqualTo("forbidden destination: /topic/x (no rule grants SEND)");
		assertThat(LogText.escape(null)).isEqualTo("null");
	}

	@Test
	void longValuesAreCut() {
		assertThat(LogText.escape("x".repeat(10_000))).isEqualTo("x".repeat(512) + "...(10000 chars)");
	}

}
