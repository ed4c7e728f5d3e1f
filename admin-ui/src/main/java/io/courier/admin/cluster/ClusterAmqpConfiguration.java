package io.courier.admin.cluster;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.courier.admin.live.LiveUpdates;
import io.courier.contract.ClusterExchange;

/**
 * The console's two queues, both named by the broker ({@code amq.gen-...}, the only names
 * the console's RabbitMQ user may declare), exclusive and auto-deleted, so nothing
 * outlives the console: one bound to {@code courier.cluster} for what the gateways
 * announce ({@code presence.*}, {@code node.*}, {@code limits.*}), one for replies to its
 * {@code control.*} requests.
 */
@Configuration(proxyBeanMethods = false)
class ClusterAmqpConfiguration {

	@Bean
	Queue clusterEventQueue() {
		return new Queue("", false, true, true);
	}

	@Bean
	Queue controlReplyQueue() {
		return new Queue("", false, true, true);
	}

	@Bean
	Declarables clusterTopology(Queue clusterEventQueue) {
		// The gateways declare the exchange (the console's user may not configure it);
		// until the first gateway did,
		// the bindings fail and the console retries.
		TopicExchange cluster = new TopicExchange(ClusterExchange.NAME, true, false);
		cluster.setShouldDeclare(false);
		return new Declarables(cluster, BindingBuilder.bind(clusterEventQueue).to(cluster).with("presence.*"),
				BindingBuilder.bind(clusterEventQueue).to(cluster).with("node.*"),
				BindingBuilder.bind(clusterEventQueue).to(cluster).with("limits.*"));
	}

	@Bean
	ClusterView clusterView(ClusterProperties properties, LiveUpdates live) {
		return new ClusterView(properties.nodeExpiry(), properties.history(), live::changed);
	}

	@Bean
	SimpleMessageListenerContainer clusterEventContainer(ConnectionFactory connectionFactory, Queue clusterEventQueue,
			ClusterListener listener) {
		return container(connectionFactory, clusterEventQueue, listener);
	}

	@Bean
	SimpleMessageListenerContainer controlReplyContainer(ConnectionFactory connectionFactory, Queue controlReplyQueue,
			ControlClient client) {
		return container(connectionFactory, controlReplyQueue, client);
	}

	/** Events and replies are only looked at, never redelivered: no acknowledgements. */
	private static SimpleMessageListenerContainer container(ConnectionFactory connectionFactory, Queue queue,
			MessageListener listener) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueues(queue);
		container.setAcknowledgeMode(AcknowledgeMode.NONE);
		container.setMessageListener(listener);
		return container;
	}

}
