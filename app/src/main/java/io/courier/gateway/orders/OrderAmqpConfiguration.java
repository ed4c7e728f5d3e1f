package io.courier.gateway.orders;

import java.util.List;
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
 * {@code courier.order-events} (quorum, single active consumer, dead-letters to
 * {@code courier.orders.dlx} → {@code courier.order-events.dlq}, quorum too). Single
 * active consumer keeps one order's events in publish order across the gateways; if the
 * active node goes away RabbitMQ hands the queue to the next. Quorum queues keep the
 * events on every node of a RabbitMQ cluster (a publish is confirmed once a majority has
 * it) and keep serving while a majority of the nodes runs; on a single node they work as
 * well.
 *
 * <p>
 * Dead-lettering is {@code at-least-once}: a rejected event leaves the queue only once
 * the dead-letter queue has confirmed it (the default, {@code at-most-once}, drops it if
 * that queue is unreachable at that moment). RabbitMQ allows it only with
 * {@code x-overflow: reject-publish}, which changes nothing here: the queue has no length
 * limit. No {@code x-delivery-limit}: the consumer requeues events while the relay is
 * away ({@link RelayAvailabilityGate}), and a limit would dead-letter valid events then.
 * No {@code x-quorum-initial-group-size}: RabbitMQ 3.10 puts a member on every node of
 * the cluster by default, and the argument, once given, must be repeated by every later
 * declaration. A broker with the classic queues of an older Courier keeps them
 * ({@link OrderQueueTypes}).
 */
@Configuration(proxyBeanMethods = false)
class OrderAmqpConfiguration {

	static final String LISTENER_ID = "order-events";

	static final DurableQueue EVENTS = new DurableQueue(OrderProperties.QUEUE, QueueType.QUORUM,
			Map.of("x-single-active-consumer", true, "x-dead-letter-exchange", OrderProperties.DEAD_LETTER_EXCHANGE,
					"x-dead-letter-routing-key", OrderProperties.DEAD_LETTER_QUEUE, "x-dead-letter-strategy",
					"at-least-once", "x-overflow", "reject-publish"));

	static final DurableQueue DEAD_LETTERS = new DurableQueue(OrderProperties.DEAD_LETTER_QUEUE, QueueType.QUORUM,
			Map.of());

	/** {@link #EVENTS} as Courier declared it before quorum queues. */
	static final DurableQueue CLASSIC_EVENTS = new DurableQueue(OrderProperties.QUEUE, QueueType.CLASSIC,
			Map.of("x-single-active-consumer", true, "x-dead-letter-exchange", OrderProperties.DEAD_LETTER_EXCHANGE,
					"x-dead-letter-routing-key", OrderProperties.DEAD_LETTER_QUEUE));

	/** {@link #DEAD_LETTERS} as Courier declared it before quorum queues. */
	static final DurableQueue CLASSIC_DEAD_LETTERS = new DurableQueue(OrderProperties.DEAD_LETTER_QUEUE,
			QueueType.CLASSIC, Map.of());

	@Bean
	Declarables orderTopology() {
		TopicExchange orders = new TopicExchange(OrderProperties.EXCHANGE, true, false);
		DirectExchange deadLetters = new DirectExchange(OrderProperties.DEAD_LETTER_EXCHANGE, true, false);
		Queue events = EVENTS.declarable();
		Queue deadLetterQueue = DEAD_LETTERS.declarable();
		Binding eventsBinding = BindingBuilder.bind(events).to(orders).with(OrderEvent.ROUTING_KEY_PREFIX + "*");
		Binding deadLetterBinding = BindingBuilder.bind(deadLetterQueue)
			.to(deadLetters)
			.with(OrderProperties.DEAD_LETTER_QUEUE);
		return new Declarables(orders, deadLetters, events, deadLetterQueue, eventsBinding, deadLetterBinding);
	}

	@Bean
	OrderQueueTypes orderQueueTypes() {
		return new OrderQueueTypes(List.of(EVENTS, DEAD_LETTERS), List.of(CLASSIC_EVENTS, CLASSIC_DEAD_LETTERS));
	}

	@Bean("orders")
	OrderQueuesHealthIndicator ordersHealthIndicator(OrderQueueTypes types) {
		return new OrderQueuesHealthIndicator(types);
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
		// A queue RabbitMQ cannot serve for a while (a classic queue whose node is down,
		// seen in the
		// cluster chaos run) must not stop the consumer for good: it keeps trying to
		// consume every
		// recovery interval instead of giving up after three declarations.
		factory.setMissingQueuesFatal(false);
		return factory;
	}

}
