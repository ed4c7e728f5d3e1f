package io.courier.gateway.orders;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.courier.gateway.support.RabbitBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker set up by an older Courier: {@code courier.order-events} and its dead-letter
 * queue exist as classic queues, whose type cannot change. The gateway starts, keeps
 * using them, and says how to migrate.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClassicOrderQueuesIntegrationTests extends OrderQueuesIntegrationTest {

	private static final String VHOST = vhostOf(ClassicOrderQueuesIntegrationTests.class);

	@BeforeAll
	static void classicQueuesOfAnOlderCourier() throws IOException, TimeoutException {
		CachingConnectionFactory factory = RabbitBroker.connectionFactory(VHOST);
		try (Channel channel = factory.createConnection().createChannel(false)) {
			for (DurableQueue queue : new DurableQueue[] { OrderAmqpConfiguration.CLASSIC_EVENTS,
					OrderAmqpConfiguration.CLASSIC_DEAD_LETTERS }) {
				// as it was declared: no x-queue-type at all
				channel.queueDeclare(queue.name(), true, false, false, queue.arguments());
			}
		}
		finally {
			factory.destroy();
		}
	}

	@DynamicPropertySource
	static void vhost(DynamicPropertyRegistry registry) {
		useVhost(registry, VHOST);
	}

	@Test
	void gatewayKeepsTheClassicQueuesAndWarnsOnceHowToMigrate(CapturedOutput output) throws Exception {
		JsonNode health = ordersHealth();
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("details").path("queues").path("courier.order-events").asString())
			.isEqualTo("classic (migration pending)");
		assertThat(health.path("details").path("queues").path("courier.order-events.dlq").asString())
			.isEqualTo("classic (migration pending)");
		assertThat(health.path("details").path("migration").asString()).isEqualTo(OrderQueueTypes.MIGRATION);

		String warning = "courier.order-events exists as a classic queue, so RabbitMQ refused to declare it as a"
				+ " quorum queue";
		assertThat(output.getAll()).containsOnlyOnce(warning)
			.contains("The gateway keeps using the existing queue, which lives on one node and is not replicated."
					+ " To migrate it, see " + OrderQueueTypes.MIGRATION);
		assertThat(RabbitBroker.queue(VHOST, "courier.order-events").path("type").asString()).isEqualTo("classic");
	}

	@Test
	void orderEventStillReachesItsOwner() throws Exception {
		assertOrderEventReachesItsOwner();
	}

}
