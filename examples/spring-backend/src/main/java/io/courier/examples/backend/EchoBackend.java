package io.courier.examples.backend;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.ObjectMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.Exchange;
import org.springframework.amqp.rabbit.annotation.Queue;
import org.springframework.amqp.rabbit.annotation.QueueBinding;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers {@code SEND /app/echo.<anything>}: Courier publishes it to the topic exchange
 * {@code courier.inbound} with routing key {@code echo.<anything>}; the answer goes to
 * the exchange and routing key Courier named in {@code courier-reply-exchange} /
 * {@code courier-reply-key}, with the request's {@code correlation_id}, and reaches only
 * the sender's sessions subscribed to the {@code reply-to} it gave.
 */
@Component
class EchoBackend {

	static final String QUEUE = "example.echo";

	private final RabbitTemplate rabbit;

	private final ObjectMapper mapper;

	EchoBackend(RabbitTemplate rabbit, ObjectMapper mapper) {
		this.rabbit = rabbit;
		this.mapper = mapper;
	}

	@RabbitListener(bindings = @QueueBinding(value = @Queue(QUEUE),
			exchange = @Exchange(value = "courier.inbound", type = "topic"), key = "echo.#"))
	void answer(Message request) {
		MessageProperties properties = request.getMessageProperties();
		String sender = properties.getHeader("courier-sender"); // stamped by the gateway:
																// the token's sub
		String exchange = properties.getHeader("courier-reply-exchange");
		String key = properties.getHeader("courier-reply-key");
		if (exchange == null || key == null) {
			return; // the client asked for no answer (no reply-to on its SEND)
		}
		String text = new String(request.getBody(), StandardCharsets.UTF_8);
		byte[] answer = this.mapper.writeValueAsBytes(Map.of("echo", text.toUpperCase(Locale.ROOT), "to", sender,
				"route", properties.getReceivedRoutingKey(), "at", Instant.now().toString()));
		this.rabbit.send(exchange, key,
				MessageBuilder.withBody(answer)
					.setContentType(MessageProperties.CONTENT_TYPE_JSON)
					.setCorrelationId(properties.getCorrelationId())
					.build());
	}

}
