package io.courier.gateway.control;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.courier.gateway.cluster.ClusterPublisher;

/**
 * Binds this node's queue on {@code courier.cluster} to the console's {@code control.#}
 * requests.
 */
@Configuration(proxyBeanMethods = false)
class ControlConfiguration {

	@Bean
	Binding controlRequestsBinding(Queue nodeQueue) {
		return BindingBuilder.bind(nodeQueue)
			.to(new TopicExchange(ClusterPublisher.EXCHANGE, true, false))
			.with(ControlRequests.PREFIX + "#");
	}

}
