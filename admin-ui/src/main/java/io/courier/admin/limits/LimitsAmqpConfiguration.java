package io.courier.admin.limits;

import java.util.Map;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A consumer of the stream {@code courier.limits} from its first offset. The gateways
 * declare the stream; until one did, the consumer retries every 5 s and the console shows
 * version 0.
 */
@Configuration(proxyBeanMethods = false)
class LimitsAmqpConfiguration {

	@Bean
	SimpleMessageListenerContainer limitsStreamContainer(ConnectionFactory connectionFactory, LimitsStore store) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
		container.setQueueNames(LimitsStore.STREAM);
		// A stream consumer needs a prefetch and acknowledgements, and says where to
		// start.
		container.setConsumerArguments(Map.of("x-stream-offset", "first"));
		container.setPrefetchCount(50);
		container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		container.setMissingQueuesFatal(false);
		container.setRecoveryInterval(5000);
		container.setMessageListener((message) -> store.offer(message.getBody()));
		return container;
	}

}
