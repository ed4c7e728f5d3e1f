package io.courier.gateway.orders;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

import io.courier.gateway.orders.OrderEvent.InvalidOrderEventException;
import io.courier.gateway.session.LogText;

/**
 * Consumes {@code courier.order-events} with manual acknowledgement: an event is acked
 * only after it was handed to the broker relay. An event that cannot be forwarded as it
 * is (not JSON, missing fields, routing key that does not name its order) is published to
 * the dead-letter exchange with the reason in {@code x-courier-reason} on the same
 * channel, then acked: it never blocks the next one. The container starts only while the
 * relay's broker connection is up ({@link RelayAvailabilityGate}).
 */
@Component
class OrderEventConsumer {

	private static final Log logger = LogFactory.getLog(OrderEventConsumer.class);

	private final ObjectMapper mapper;

	private final OrderEventForwarder forwarder;

	private final MeterRegistry meters;

	private final long maxEventBytes;

	OrderEventConsumer(ObjectMapper mapper, OrderEventForwarder forwarder, MeterRegistry meters,
			OrderProperties properties) {
		this.maxEventBytes = properties.maxEventSize().toBytes();
		this.mapper = mapper;
		this.forwarder = forwarder;
		this.meters = meters;
	}

	/**
	 * {@code courier.order.events{outcome=forwarded|dead-lettered|requeued}}, one per
	 * event consumed; every delivery is also counted in
	 * {@code courier.order.events.consumed}.
	 */
	private void count(String outcome) {
		this.meters.counter("courier.order.events", "outcome", outcome).increment();
	}

	@RabbitListener(id = OrderAmqpConfiguration.LISTENER_ID, queues = OrderProperties.QUEUE,
			containerFactory = "orderListenerFactory")
	void onEvent(Message message, Channel channel) throws IOException {
		this.meters.counter("courier.order.events.consumed").increment();
		MessageProperties properties = message.getMessageProperties();
		long tag = properties.getDeliveryTag();
		OrderEvent event;
		try {
			event = OrderEvent.parse(this.mapper, message.getBody(), this.maxEventBytes);
			String routingKey = properties.getReceivedRoutingKey();
			if (routingKey != null && !routingKey.equals(event.routingKey())) {
				throw new InvalidOrderEventException(
						"routing key " + routingKey + " does not match orderId " + event.orderId());
			}
		}
		catch (InvalidOrderEventException ex) {
			deadLetter(channel, message, ex.getMessage());
			channel.basicAck(tag, false);
			count("dead-lettered");
			return;
		}
		try {
			this.forwarder.forward(event);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not forward order event " + event.orderId() + "; returning it to the queue", ex);
			channel.basicNack(tag, false, true);
			count("requeued");
			return;
		}
		channel.basicAck(tag, false);
		count("forwarded");
	}

	private void deadLetter(Channel channel, Message message, String reason) throws IOException {
		MessageProperties in = message.getMessageProperties();
		logger.warn("Dead-lettering order event (routing key " + LogText.escape(in.getReceivedRoutingKey()) + "): "
				+ LogText.escape(reason));
		Map<String, Object> headers = new HashMap<>(in.getHeaders());
		headers.put(OrderProperties.REASON_HEADER, reason);
		headers.put("x-courier-routing-key", String.valueOf(in.getReceivedRoutingKey()));
		AMQP.BasicProperties out = new AMQP.BasicProperties.Builder().headers(headers)
			.contentType(in.getContentType())
			.deliveryMode(2)
			.build();
		channel.basicPublish(OrderProperties.DEAD_LETTER_EXCHANGE, OrderProperties.DEAD_LETTER_QUEUE, out,
				message.getBody());
	}

}
