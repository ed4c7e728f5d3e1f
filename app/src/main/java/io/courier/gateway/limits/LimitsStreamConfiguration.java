package io.courier.gateway.limits;

import java.util.Map;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.courier.contract.LimitsDocument;
import io.courier.gateway.cluster.ClusterPublisher;

/**
 * The runtime limits' persistence: the durable stream {@code courier.limits}, bound to
 * {@code courier.cluster} with key {@code limits.changed}, so every change the console
 * publishes is kept. Each node reads it from the first message at start, then live
 * ({@link LimitsStreamListener}); the highest version wins, so the stream's order and old
 * entries do not matter. It is small: RabbitMQ drops its oldest segments past
 * {@value #MAX_LENGTH_BYTES} bytes and never the one being written, which holds the
 * latest change.
 *
 * <p>
 * No {@code x-initial-cluster-size}, as for the history stream: RabbitMQ 3.10 replicates
 * a new stream on every node of the cluster, and the argument, once given, must be
 * repeated by every declaration ({@code RabbitAdmin} would otherwise fail all of them on
 * a broker whose stream was made without it).
 */
@Configuration(proxyBeanMethods = false)
class LimitsStreamConfiguration {

	static final String STREAM = LimitsDocument.STREAM;

	private static final long MAX_LENGTH_BYTES = 1_000_000;

	private static final long MAX_SEGMENT_SIZE_BYTES = 100_000;

	@Bean
	Declarables limitsStream() {
		Queue stream = QueueBuilder.durable(STREAM)
			.stream()
			.withArgument("x-max-length-bytes", MAX_LENGTH_BYTES)
			.withArgument("x-stream-max-segment-size-bytes", MAX_SEGMENT_SIZE_BYTES)
			.build();
		Binding binding = BindingBuilder.bind(stream)
			.to(new TopicExchange(ClusterPublisher.EXCHANGE, true, false))
			.with(LimitsDocument.TYPE);
		return new Declarables(stream, binding);
	}

	/**
	 * A stream consumer must acknowledge (here: after each message) and have a prefetch;
	 * {@code x-stream-offset} {@code first} replays the kept changes on every (re)start
	 * of the consumer, which applying by version makes harmless.
	 */
	@Bean
	SimpleMessageListenerContainer limitsStreamContainer(ConnectionFactory connectionFactory,
			LimitsStreamListener listener) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames(STREAM);
		container.setConsumerArguments(Map.of("x-stream-offset", "first"));
		container.setPrefetchCount(100);
		container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		container.setMessageListener(listener);
		return container;
	}

}
