package io.courier.gateway.security;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

class MissingJwtDecoderFailureAnalyzerTests {

	private final MissingJwtDecoderFailureAnalyzer analyzer = new MissingJwtDecoderFailureAnalyzer();

	@Test
	void missingJwtDecoderNamesThePropertiesToSet() {
		FailureAnalysis analysis = this.analyzer.analyze(new NoSuchBeanDefinitionException(JwtDecoder.class));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getAction()).contains("spring.security.oauth2.resourceserver.jwt.jwk-set-uri")
			.contains("--spring.profiles.active=dev");
	}

	@Test
	void otherMissingBeansAreLeftToSpringBoot() {
		assertThat(this.analyzer.analyze(new NoSuchBeanDefinitionException(String.class))).isNull();
	}

}
