package io.courier.gateway.cluster;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Consumes this node's {@code courier.cluster} queue and hands each message to the
 * feature that takes its routing key (presence, control requests). One consumer, since
 * RabbitMQ would share one queue's messages between several. A message that a handler
 * fails on is logged and dropped, never requeued in a loop.
 */
@Component
class NodeQueueListener {

	private static final Log logger = LogFactory.getLog(NodeQueueListener.class);

	private final List<ClusterMessageHandler> handlers;

	NodeQueueListener(List<ClusterMessageHandler> handlers) {
		this.handlers = handlers;
	}

	@RabbitListener(queues = "#{@nodeQueue.name}")
	void onMessage(Message message) {
		String routingKey = String.valueOf(message.getMessageProperties().getReceivedRoutingKey());
		for (ClusterMessageHandler handler : this.handlers) {
			if (handler.handles(routingKey)) {
				try {
					handler.handle(message);
				}
				catch (RuntimeException ex) {
					logger.warn("Dropping " + routingKey + " message from " + ClusterPublisher.EXCHANGE + ": " + ex);
				}
				return;
			}
		}
		logger.debug("No handler for " + routingKey);
	}

}
