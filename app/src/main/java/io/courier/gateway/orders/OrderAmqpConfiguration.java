package io.courier.gateway.orders;

import java.util.Map;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The order topology, declared by every node with the same arguments as
 * {@code rabbitmq/definitions.json}: {@code courier.orders} (topic) →
 * {@code courier.order-events} (durable, single active consumer, dead-letters to
 * {@code courier.orders.dlx} → {@code courier.order-events.dlq}). Single active consumer
 * keeps one order's events in publish order across the cluster; if the active node goes
 * away RabbitMQ hands the queue to the next.
 */
@Configuration(proxyBeanMethods = false)
class OrderAmqpConfiguration {

	static final String LISTENER_ID = "order-events";

	@Bean
	Declarables orderTopology() {
		TopicExchange orders = new TopicExchange(OrderProperties.EXCHANGE, true, false);
		DirectExchange deadLetters = new DirectExchange(OrderProperties.DEAD_LETTER_EXCHANGE, true, false);
		Queue events = new Queue(OrderProperties.QUEUE, true, false, false,
				Map.of("x-single-active-consumer", true, "x-dead-letter-exchange", OrderProperties.DEAD_LETTER_EXCHANGE,
						"x-dead-letter-routing-key", OrderProperties.DEAD_LETTER_QUEUE));
		Queue deadLetterQueue = new Queue(OrderProperties.DEAD_LETTER_QUEUE, true, false, false);
		Binding eventsBinding = BindingBuilder.bind(events).to(orders).with(OrderEvent.ROUTING_KEY_PREFIX + "*");
		Binding deadLetterBinding = BindingBuilder.bind(deadLetterQueue)
			.to(deadLetters)
			.with(OrderProperties.DEAD_LETTER_QUEUE);
		return new Declarables(orders, deadLetters, events, deadLetterQueue, eventsBinding, deadLetterBinding);
	}

	@Bean
	SimpleRabbitListenerContainerFactory orderListenerFactory(SimpleRabbitListenerContainerFactoryConfigurer configurer,
			ConnectionFactory connectionFactory, OrderProperties properties) {
		SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
		configurer.configure(factory, connectionFactory);
		factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		factory.setPrefetchCount(properties.prefetch());
		factory.setConcurrentConsumers(1);
		factory.setMaxConcurrentConsumers(1);
		factory.setAutoStartup(false);
		return factory;
	}

}
