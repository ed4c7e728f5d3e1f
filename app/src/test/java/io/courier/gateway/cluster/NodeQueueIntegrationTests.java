package io.courier.gateway.cluster;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import io.courier.gateway.support.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's {@code courier.cluster} queue has its consumer once the gateway is up. It
 * once had none: the order consumer, started early when the relay connected, made Spring
 * AMQP's listener registry look running, so the lifecycle never started the registry's
 * other containers (presence and control requests went unheard).
 */
class NodeQueueIntegrationTests extends GatewayIntegrationTest {

	@Autowired
	@Qualifier("nodeQueue")
	private Queue nodeQueue;

	@Autowired
	private RabbitAdmin admin;

	@Test
	void theNodeQueueHasOneConsumer() {
		Properties queue = this.admin.getQueueProperties(this.nodeQueue.getName());
		assertThat(queue).isNotNull();
		assertThat(queue.get(RabbitAdmin.QUEUE_CONSUMER_COUNT)).isEqualTo(1);
	}

}
