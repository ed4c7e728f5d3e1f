package io.courier.gateway.cluster;

import java.util.UUID;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.courier.gateway.node.GatewayProperties;

/**
 * {@code courier.cluster} (durable topic exchange) and this node's own queue on it, bound
 * to what every node must hear: {@code presence.*} and {@code node.*} ({@code control}
 * binds it to the console's requests). The queue is exclusive and auto-deleted, so
 * RabbitMQ removes it when the node goes, however it goes.
 */
@Configuration(proxyBeanMethods = false)
class ClusterAmqpConfiguration {

	@Bean
	Queue nodeQueue(GatewayProperties gateway) {
		String name = "courier.cluster." + gateway.nodeId() + "." + UUID.randomUUID().toString().substring(0, 8);
		return new Queue(name, false, true, true);
	}

	@Bean
	Declarables clusterTopology(Queue nodeQueue) {
		TopicExchange cluster = new TopicExchange(ClusterPublisher.EXCHANGE, true, false);
		return new Declarables(cluster, BindingBuilder.bind(nodeQueue).to(cluster).with("presence.*"),
				BindingBuilder.bind(nodeQueue).to(cluster).with("node.*"));
	}

}
