package io.courier.gateway.cluster;

import org.springframework.amqp.core.Message;

/**
 * A feature that takes some of the messages arriving on this node's
 * {@code courier.cluster} queue.
 */
public interface ClusterMessageHandler {

	/** Whether this handler takes messages with this routing key. */
	boolean handles(String routingKey);

	void handle(Message message);

}
