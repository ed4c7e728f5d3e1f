package io.courier.gateway.nodequeue;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The AMQP side of the relay's node queues. */
@Configuration(proxyBeanMethods = false)
class NodeQueueConfiguration {

	@Bean
	AmqpNodeQueueBindings nodeQueueBindings(ConnectionFactory connectionFactory) {
		return new AmqpNodeQueueBindings(connectionFactory);
	}

}
