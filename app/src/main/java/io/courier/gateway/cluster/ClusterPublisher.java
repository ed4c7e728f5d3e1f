package io.courier.gateway.cluster;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

import io.courier.contract.ClusterExchange;

/**
 * Publishes JSON on {@code courier.cluster} (routing key = the message type), and replies
 * to control requests through the default exchange. A node that cannot reach RabbitMQ
 * logs a warning and goes on: nothing on this exchange is worth failing a client's frame
 * or a scheduled task for.
 */
@Component
public class ClusterPublisher {

	/**
	 * The durable topic exchange that carries presence, node status, limits and control
	 * messages.
	 */
	public static final String EXCHANGE = ClusterExchange.NAME;

	private static final Log logger = LogFactory.getLog(ClusterPublisher.class);

	private final RabbitTemplate rabbit;

	private final ObjectMapper mapper;

	ClusterPublisher(RabbitTemplate rabbit, ObjectMapper mapper) {
		this.rabbit = rabbit;
		this.mapper = mapper;
	}

	/**
	 * Publishes {@code body} as JSON to {@code courier.cluster}; false if RabbitMQ did
	 * not take it.
	 */
	public boolean publish(String routingKey, Object body) {
		return send(EXCHANGE, routingKey, body, null);
	}

	/**
	 * Answers a request: {@code body} as JSON to queue {@code replyTo} with the request's
	 * correlation id.
	 */
	public boolean reply(String replyTo, @Nullable String correlationId, Object body) {
		return send("", replyTo, body, correlationId);
	}

	private boolean send(String exchange, String routingKey, Object body, @Nullable String correlationId) {
		try {
			MessageProperties properties = new MessageProperties();
			properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
			properties.setContentEncoding("UTF-8");
			properties.setCorrelationId(correlationId);
			this.rabbit.send(exchange, routingKey, new Message(this.mapper.writeValueAsBytes(body), properties));
			return true;
		}
		catch (AmqpException ex) {
			logger.warn("Could not publish " + routingKey + " to "
					+ (exchange.isEmpty() ? "the default exchange" : exchange) + ": " + ex.getMessage());
			return false;
		}
	}

}
