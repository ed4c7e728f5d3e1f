package io.courier.gateway.orders;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.courier.gateway.support.RabbitBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a broker without the order queues (a fresh vhost, as {@code rabbitmq/setup.sh}
 * leaves the test vhost) the gateway declares them as quorum queues, with single active
 * consumer and at-least-once dead-lettering.
 */
class QuorumOrderQueuesIntegrationTests extends OrderQueuesIntegrationTest {

	private static final String VHOST = vhostOf(QuorumOrderQueuesIntegrationTests.class);

	@DynamicPropertySource
	static void vhost(DynamicPropertyRegistry registry) {
		useVhost(registry, VHOST);
	}

	@Test
	void orderQueuesAreQuorumQueues() throws Exception {
		JsonNode events = RabbitBroker.queue(VHOST, "courier.order-events");
		assertThat(events.path("type").asString()).isEqualTo("quorum");
		JsonNode arguments = events.path("arguments");
		assertThat(arguments.path("x-single-active-consumer").asBoolean()).isTrue();
		assertThat(arguments.path("x-dead-letter-exchange").asString()).isEqualTo("courier.orders.dlx");
		assertThat(arguments.path("x-dead-letter-strategy").asString()).isEqualTo("at-least-once");
		assertThat(arguments.path("x-overflow").asString()).isEqualTo("reject-publish");
		assertThat(RabbitBroker.queue(VHOST, "courier.order-events.dlq").path("type").asString()).isEqualTo("quorum");

		JsonNode health = ordersHealth();
		assertThat(health.path("details").path("queues").path("courier.order-events").asString()).isEqualTo("quorum");
		assertThat(health.path("details").path("migration").isMissingNode()).isTrue();
	}

	@Test
	void orderEventReachesItsOwner() throws Exception {
		assertOrderEventReachesItsOwner();
	}

}
