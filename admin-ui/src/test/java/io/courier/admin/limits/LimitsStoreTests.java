package io.courier.admin.limits;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;

import io.courier.admin.live.LiveUpdates;
import io.courier.contract.LimitsDocument.Limits;
import io.courier.contract.LimitsDocument.UserLimits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The document the console shows is the one the gateways put in force: a newer one that
 * breaks the contract's rule is passed over as they refuse it, and a global field it
 * leaves out shows the default, as each gateway takes its property.
 */
class LimitsStoreTests {

	private static final ValidatorFactory validation = Validation.buildDefaultValidatorFactory();

	private final LimitsStore store = new LimitsStore(JsonMapper.builder().build(), new RabbitTemplate(),
			new LiveUpdates(), new LimitsProperties(50, 100, 20, 20, 40), validation.getValidator());

	@AfterAll
	static void close() {
		validation.close();
	}

	@Test
	void aNewerValidDocumentIsCurrentWithItsAbsentGlobalFieldsAsTheDefaults() {
		offer("""
				{"type":"limits.changed","version":3,"changedBy":"ops","limits":{"frameRate":0.1,"frameBurst":40},
				 "overrides":{"bob":{"sessionsPerUser":2}},"addedLater":true}""");
		assertThat(this.store.current().version()).isEqualTo(3);
		assertThat(this.store.current().limits()).isEqualTo(new Limits(0.1, 40, 20, 20.0, 40));
		assertThat(this.store.current().overrides()).containsExactly(Map.entry("bob", new UserLimits(null, null, 2)));
	}

	@Test
	void aDocumentTheGatewaysRefuseIsPassedOver() {
		offer("""
				{"type":"limits.changed","version":4,"limits":{"frameRate":0.05}}""");
		offer("""
				{"type":"limits.changed","version":5,"limits":{},"overrides":{"bob":{"frameBurst":0}}}""");
		offer("""
				{"type":"limits.changed","version":6}""");
		assertThat(this.store.current().version()).isZero();
		offer("""
				{"type":"limits.changed","version":7,"limits":{}}""");
		assertThat(this.store.current().version()).isEqualTo(7);
		assertThat(this.store.current().limits()).isEqualTo(new Limits(50.0, 100, 20, 20.0, 40));
	}

	private void offer(String json) {
		this.store.offer(json.getBytes(StandardCharsets.UTF_8));
	}

}
